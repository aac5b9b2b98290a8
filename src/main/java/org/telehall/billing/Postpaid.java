package org.telehall.billing;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.customer.LineSuspension;
import org.telehall.ledger.Ledger;
import org.telehall.notify.Sms;
import org.telehall.payment.PaymentSettled;
import org.telehall.shared.Money;

/**
 * Postpaid accounts: the customer spends on credit up to the account's credit limit instead of a
 * prepaid balance, and each bill leaves owing what the closing balance is below zero. The bill is
 * due {@value #DUE_DAYS} days after its cycle closes; a reminder goes {@value #REMIND_DAYS} days
 * before; {@value #GRACE_DAYS} days after the due date the lines are suspended for arrears if it is
 * still unpaid. A bill counts as paid when the payments posted since its cycle closed (bill
 * payments, top-ups; the journal says, not a status column) cover what it left owing; paying it
 * restores the lines.
 */
@Service
public class Postpaid {

    private static final Logger log = LoggerFactory.getLogger(Postpaid.class);
    public static final int DUE_DAYS = 20;
    public static final int REMIND_DAYS = 3;
    public static final int GRACE_DAYS = 10;

    /** What a day's dunning did. */
    public record Dunning(int settled, int reminded, int suspended, int restored) {
    }

    private final JdbcClient jdbc;
    private final Ledger ledger;
    private final LineSuspension suspension;
    private final Sms sms;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final String baseUrl;
    private final ApplicationEventPublisher events;

    Postpaid(JdbcClient jdbc, Ledger ledger, LineSuspension suspension, Sms sms, Clock clock, TransactionTemplate tx,
             @Value("${telehall.base-url:http://localhost:8080}") String baseUrl, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.events = events;
        this.tx = tx;
        this.ledger = ledger;
        this.suspension = suspension;
        this.sms = sms;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    /** Makes the customer's account postpaid with this credit limit; from the next bill on, bills have a due date. */
    @Transactional
    public void enrol(long customerId, Money creditLimit) {
        if (!creditLimit.isPositive()) {
            throw new IllegalArgumentException("a postpaid credit limit must be above zero, was " + creditLimit);
        }
        ledger.changeCreditLimit(customerId, creditLimit);
        jdbc.sql("insert into postpaid_account (customer_id, since) values (?, ?) on conflict (customer_id) do nothing")
                .params(customerId, Timestamp.from(clock.instant())).update();
    }

    public boolean isPostpaid(long customerId) {
        return jdbc.sql("select exists (select 1 from postpaid_account where customer_id = ?)").param(customerId)
                .query(Boolean.class).single();
    }

    /** What a postpaid bill still owes: what it left owing less the payments since its cycle closed. */
    public Money outstanding(Bill bill) {
        if (!bill.postpaid()) {
            return Money.ZERO;
        }
        long paid = jdbc.sql("select " + PAID_SINCE + " from bill b where b.id = ?").param(bill.id()).query(Long.class).single();
        return Money.ofFen(Math.max(0, bill.amountDue().fen() - paid));
    }

    /** Payments into the bill's account posted since its cycle closed (SQL over a bill row {@code b}). */
    private static final String PAID_SINCE = """
            (select coalesce(sum(l.amount_fen), 0)
               from ledger_account a
               join journal_line l on l.account_id = a.id
               join journal_entry e on e.id = l.entry_id
              where a.customer_id = b.customer_id and e.reason_code in (%s)
                and l.posted_at >= b.cycle_end::timestamp at time zone 'Asia/Shanghai')""".formatted(BillCategory.paymentsList());

    /**
     * A payment into an account with an open postpaid bill, published inside the payment's transaction
     * so that the bill is checked after it commits (and again after a crash: the event publication
     * registry keeps it until the check has run).
     */
    public record OpenBillCredited(long customerId) {
    }

    /**
     * A payment may have settled the customer's open bill. Asked inside the settling transaction (one
     * indexed probe): only a customer with an open postpaid bill gets the check after commit. A
     * prepaid customer's top-up, nearly every payment, then stores no event publication and runs no
     * second transaction (the two were about a fifth of a top-up's database work). A bill that
     * commits after this probe is the daily round's to settle, as one committing after the check was.
     */
    @EventListener
    void on(PaymentSettled settled) {
        boolean open = jdbc.sql("select exists (select 1 from bill where customer_id = ? and postpaid and settled_at is null)")
                .param(settled.targetCustomerId()).query(Boolean.class).single();
        if (open) {
            events.publishEvent(new OpenBillCredited(settled.targetCustomerId()));
        }
    }

    /** Checked after the payment committed, lines restored if it paid the bill. */
    @ApplicationModuleListener
    void on(OpenBillCredited credited) {
        settle(credited.customerId());
    }

    /**
     * The daily round: bills now paid are settled, due ones reminded (at most once: a reminder lost
     * to a crash is not sent twice), overdue ones past the grace period suspended.
     */
    public Dunning run(LocalDate today) {
        int settled = 0;
        int restored = 0;
        for (long customerId : jdbc.sql("select distinct customer_id from bill where postpaid and settled_at is null order by customer_id")
                .query(Long.class).list()) {
            int[] done = settle(customerId);
            settled += done[0];
            restored += done[1];
        }
        int reminded = remind(today);
        int suspended = suspendOverdue(today);
        if (settled + reminded + suspended + restored > 0) {
            log.info("postpaid dunning for {}: {} bills paid, {} reminded, {} accounts suspended, {} restored", today, settled, reminded,
                    suspended, restored);
        }
        return new Dunning(settled, reminded, suspended, restored);
    }

    /** Marks the customer's open bills that are now paid; restores the lines when none is left overdue. Returns {settled, lines restored}. */
    @Transactional
    public int[] settle(long customerId) {
        Instant now = clock.instant();
        List<Boolean> wasSuspended = jdbc.sql("""
                update bill b set settled_at = ? where b.customer_id = ? and b.postpaid and b.settled_at is null
                   and %s >= -b.closing_balance_fen
                returning suspended_at is not null""".formatted(PAID_SINCE))
                .params(Timestamp.from(now), customerId).query(Boolean.class).list();
        if (!wasSuspended.contains(true)) {
            return new int[] {wasSuspended.size(), 0};
        }
        boolean stillOverdue = jdbc.sql("select exists (select 1 from bill where customer_id = ? and postpaid and settled_at is null and suspended_at is not null)")
                .param(customerId).query(Boolean.class).single();
        int restored = stillOverdue ? 0 : suspension.restoreArrearsPaid(customerId).size();
        return new int[] {wasSuspended.size(), restored};
    }

    private int remind(LocalDate today) {
        List<Reminder> due = jdbc.sql("""
                update bill b set reminded_at = :now
                 where b.postpaid and b.settled_at is null and b.reminded_at is null and b.due_date - :days <= cast(:today as date)
                returning b.id, b.cycle_start, b.due_date, -b.closing_balance_fen - %s as owed,
                          (select l.msisdn from line l where l.customer_id = b.customer_id order by l.id limit 1) as msisdn
                """.formatted(PAID_SINCE))
                .param("now", Timestamp.from(clock.instant())).param("days", REMIND_DAYS).param("today", today)
                .query((rs, n) -> new Reminder(rs.getLong(1), rs.getDate(2).toLocalDate(), rs.getDate(3).toLocalDate(),
                        Money.ofFen(rs.getLong(4)), rs.getString(5)))
                .list();
        for (Reminder r : due) {
            if (r.msisdn() != null && r.owed().isPositive()) {
                sms.send(r.msisdn(), "【网上营业厅】温馨提示：您" + Bill.monthOf(r.cycleStart()).getMonthValue() + "月账单尚有" + r.owed().display()
                        + "未缴，缴费截止日" + r.dueDate() + "，逾期" + GRACE_DAYS + "天未缴将暂停服务。缴费：" + baseUrl + "/bills/" + r.billId(), "BILL_REMINDER");
            }
        }
        return due.size();
    }

    /** The bill marked and the lines suspended in one transaction, so neither happens without the other. */
    private int suspendOverdue(LocalDate today) {
        Integer suspended = tx.execute(status -> suspendOverdueNow(today));
        return suspended == null ? 0 : suspended;
    }

    private int suspendOverdueNow(LocalDate today) {
        List<Long> customers = jdbc.sql("""
                update bill b set suspended_at = ?
                 where b.postpaid and b.settled_at is null and b.suspended_at is null and b.due_date + ? < cast(? as date)
                returning b.customer_id""")
                .params(Timestamp.from(clock.instant()), GRACE_DAYS, today).query(Long.class).list();
        customers.stream().distinct().forEach(suspension::suspendForArrears);
        return (int) customers.stream().distinct().count();
    }

    private record Reminder(long billId, LocalDate cycleStart, LocalDate dueDate, Money owed, String msisdn) {
    }
}
