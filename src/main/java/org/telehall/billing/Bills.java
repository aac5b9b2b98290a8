package org.telehall.billing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;

/** A customer's bills: the issued ones, each with the journal movements behind it, and the current cycle so far. */
@Service
public class Bills {

    /** One month of the spend chart: the bill's total, or the current cycle so far. */
    public record MonthSpend(YearMonth month, Money total, long billId, boolean live) {
    }

    private final JdbcClient jdbc;
    private final Customers customers;
    private final Clock clock;

    Bills(JdbcClient jdbc, Customers customers, Clock clock) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.clock = clock;
    }

    /** Issued bills, newest first. */
    public List<Bill> of(long customerId, int limit) {
        return jdbc.sql("select * from bill where customer_id = ? order by cycle_start desc limit ?").params(customerId, limit)
                .query(Bills::map).list();
    }

    /** One of the customer's bills; another customer's is not found. */
    public Bill get(long customerId, long billId) {
        return jdbc.sql("select * from bill where id = ? and customer_id = ?").params(billId, customerId)
                .query(Bills::map).optional().orElseThrow(() -> new NotFoundException("bill " + billId));
    }

    /** The bill of the cycle starting on {@code cycleStart}, if issued. */
    public java.util.Optional<Bill> forCycle(long customerId, LocalDate cycleStart) {
        return jdbc.sql("select * from bill where customer_id = ? and cycle_start = ?").params(customerId, cycleStart)
                .query(Bills::map).optional();
    }

    /** The current cycle as the journal holds it now: a live bill, not issued (id 0). */
    public Bill current(long customerId) {
        Customer customer = customers.get(customerId);
        LocalDate today = LocalDate.ofInstant(clock.instant(), Customer.ZONE);
        LocalDate start = customer.cycleStart(today);
        LocalDate end = customer.nextCycleStart(today);
        return jdbc.sql("""
                select 0 as id, '' as bill_no, a.customer_id, cast(:start as date) as cycle_start, cast(:end as date) as cycle_end, agg.*,
                       %s as total_fen, null as issued_at, false as postpaid, null as due_date, null as settled_at, null as suspended_at
                  from ledger_account a cross join lateral (
                    select %s
                      from journal_line l join journal_entry e on e.id = l.entry_id
                     where l.account_id = a.id and l.posted_at < :endTs) agg
                 where a.customer_id = :customer
                """.formatted(BillSql.total("agg"), BillSql.aggregates(":startTs")))
                .param("start", start).param("end", end).param("customer", customerId)
                .param("startTs", Timestamp.from(start.atStartOfDay(Customer.ZONE).toInstant()))
                .param("endTs", Timestamp.from(end.atStartOfDay(Customer.ZONE).toInstant()))
                .query(Bills::map).optional().orElseThrow(() -> new NotFoundException("customer " + customerId + " has no account"));
    }

    /** The movements behind a bill, oldest first: exactly those it was made of. */
    public List<BillItem> items(Bill bill) {
        if (bill.live()) {
            return items(bill.customerId(), bill, Long.MAX_VALUE);
        }
        long watermark = jdbc.sql("select journal_watermark from bill where id = ?").param(bill.id()).query(Long.class).single();
        return items(bill.customerId(), bill, watermark);
    }

    private List<BillItem> items(long customerId, Bill bill, long watermark) {
        return jdbc.sql("""
                select e.id, l.posted_at, e.reason_code, e.reason_text, l.amount_fen
                  from ledger_account a
                  join journal_line l on l.account_id = a.id
                  join journal_entry e on e.id = l.entry_id
                 where a.customer_id = ? and l.posted_at >= ? and l.posted_at < ? and l.id <= ?
                 order by l.posted_at, l.id
                """).params(customerId, Timestamp.from(bill.periodStart()), Timestamp.from(bill.periodEnd()), watermark)
                .query((rs, n) -> {
                    BillCategory category = BillCategory.of(rs.getString(3));
                    long amount = rs.getLong(5);
                    // charges shown as what they cost, payments as what came in
                    return new BillItem(rs.getLong(1), rs.getTimestamp(2).toInstant(), category, rs.getString(3), rs.getString(4),
                            Money.ofFen(category == null ? amount : -amount));
                }).list();
    }

    /** The last twelve months of spend, oldest first, ending with the current cycle so far. */
    public List<MonthSpend> year(long customerId) {
        List<MonthSpend> months = new ArrayList<>();
        List<Bill> issued = of(customerId, 11);
        for (int i = issued.size() - 1; i >= 0; i--) {
            Bill b = issued.get(i);
            months.add(new MonthSpend(b.month(), b.total(), b.id(), false));
        }
        Bill now = current(customerId);
        months.add(new MonthSpend(now.month(), now.total(), 0, true));
        return months;
    }

    static Bill map(ResultSet rs, int row) throws SQLException {
        Map<BillCategory, Money> amounts = new EnumMap<>(BillCategory.class);
        for (BillCategory c : BillCategory.values()) {
            amounts.put(c, Money.ofFen(rs.getLong(c.column())));
        }
        long opening = rs.getLong("opening_balance_fen");
        long payments = rs.getLong("payments_fen");
        long total = rs.getLong("total_fen");
        Timestamp issued = rs.getTimestamp("issued_at");
        java.sql.Date due = rs.getDate("due_date");
        Timestamp settled = rs.getTimestamp("settled_at");
        Timestamp suspended = rs.getTimestamp("suspended_at");
        return new Bill(rs.getLong("id"), rs.getString("bill_no"), rs.getLong("customer_id"), rs.getDate("cycle_start").toLocalDate(),
                rs.getDate("cycle_end").toLocalDate(), Money.ofFen(opening), Money.ofFen(payments), amounts, Money.ofFen(total),
                Money.ofFen(opening + payments - total), issued == null ? null : issued.toInstant(), rs.getBoolean("postpaid"),
                due == null ? null : due.toLocalDate(), settled == null ? null : settled.toInstant(),
                suspended == null ? null : suspended.toInstant());
    }
}
