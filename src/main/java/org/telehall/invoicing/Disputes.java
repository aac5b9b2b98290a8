package org.telehall.invoicing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.billing.Bill;
import org.telehall.billing.Bills;
import org.telehall.care.Ticket;
import org.telehall.care.Tickets;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.inventory.Inventory;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.notify.Sms;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;
import org.telehall.usage.Rating;
import org.telehall.usage.UsageRecord;
import org.telehall.usage.UsageRecords;
import org.telehall.usage.UsageType;

/**
 * Disputes of a charge. The customer names the charge — a line's calls, SMS or data in one period —
 * and says what is wrong. Every rated record behind it is checked against the most it could cost:
 * its whole quantity at the price that applied when it was used (the plan's catalogue price version
 * in force then, or the roaming zone's rate; nothing for free numbers and incoming calls). Charged
 * above that, or billed above what the records add up to, is an overcharge: twice the overcharge
 * goes back through the ledger at once (key {@code dispute:<id>}), and the customer is told. Found
 * right, the charge is explained with its records, and the customer may hand it to a person (a care
 * ticket in the agent console). One dispute per line, kind and period: disputing again, or twice at
 * the same moment, finds the first — so the refund happens once.
 */
@Service
public class Disputes {

    /** What the customer disputes: one line's charges of one kind in a period; {@code billed} is the bill's figure when raised from a bill. */
    public record Charge(long lineId, UsageType category, Instant periodStart, Instant periodEnd, String periodLabel, String billReference,
                         Money billed) {
    }

    /** The dispute and whether it was there already (the same charge disputed before, or at the same moment). */
    public record Opened(Dispute dispute, boolean existing) {
    }

    public static final int MAX_DESCRIPTION = 500;

    private final JdbcClient jdbc;
    private final Customers customers;
    private final UsageRecords records;
    private final Inventory inventory;
    private final Catalog catalog;
    private final Rating rating;
    private final Ledger ledger;
    private final Tickets tickets;
    private final Sms sms;
    private final Bills bills;
    private final Clock clock;

    Disputes(JdbcClient jdbc, Customers customers, UsageRecords records, Inventory inventory, Catalog catalog, Rating rating, Ledger ledger,
             Tickets tickets, Sms sms, Bills bills, Clock clock) {
        this.bills = bills;
        this.jdbc = jdbc;
        this.customers = customers;
        this.records = records;
        this.inventory = inventory;
        this.catalog = catalog;
        this.rating = rating;
        this.ledger = ledger;
        this.tickets = tickets;
        this.sms = sms;
        this.clock = clock;
    }

    /** A line's charges of one kind in one calendar month (one of the last 6, as the usage detail shows them). */
    public Charge monthCharge(long customerId, long lineId, UsageType category, String month) {
        Line line = customers.lineOf(customerId, lineId);
        YearMonth chosen = month(month);
        Instant from = chosen.atDay(1).atStartOfDay(Customer.ZONE).toInstant();
        Instant to = chosen.plusMonths(1).atDay(1).atStartOfDay(Customer.ZONE).toInstant();
        return new Charge(line.id(), category, from, to, chosen.toString(), null, null);
    }

    /**
     * A line's charges of one kind on one of the customer's bills: the bill's cycle, named by its
     * month. The bill's category covers all the customer's lines, so the line's own rated records
     * are what is checked (billed is left to them, not to the bill's sum over lines).
     */
    public Charge billCharge(long customerId, long lineId, UsageType category, long billId) {
        Line line = customers.lineOf(customerId, lineId);
        Bill bill = bills.get(customerId, billId);
        return new Charge(line.id(), category, bill.periodStart(), bill.periodEnd(), bill.month().toString(), bill.billNo(), null);
    }

    /**
     * Checks the charge and settles the dispute: refunded twice the overcharge, or explained. The
     * dispute row is claimed first (unique per line, kind and period), so a retry or a concurrent
     * twin waits for the first and answers it.
     */
    @Transactional
    public Opened open(long customerId, Charge charge, String description) {
        Line line = customers.lineOf(customerId, charge.lineId());
        String what = description == null ? "" : description.strip();
        if (what.isEmpty() || what.length() > MAX_DESCRIPTION) {
            throw new BusinessRuleException("invoicing.dispute.error.description",
                    "say what is wrong with the charge in 1 to " + MAX_DESCRIPTION + " characters");
        }
        List<Dispute.CheckedRecord> checked = check(line.id(), charge);
        Money recordsTotal = checked.stream().map(c -> c.record().charge()).reduce(Money.ZERO, Money::plus);
        Money billed = charge.billed() == null ? recordsTotal : charge.billed();
        Money overcharge = checked.stream().map(Dispute.CheckedRecord::overcharge).reduce(Money.ZERO, Money::plus);
        if (billed.compareTo(recordsTotal) > 0) {
            overcharge = overcharge.plus(billed.minus(recordsTotal));
        }
        Money refund = overcharge.times(2);
        Instant now = clock.instant();
        Optional<Long> claimed = jdbc.sql("""
                insert into bill_dispute (customer_id, line_id, category, period_start, period_end, period_label, bill_reference, description,
                                          billed_fen, records_fen, overcharge_fen, refund_fen, outcome, created_at)
                values (:customer, :line, :category, :from, :to, :label, :bill, :description, :billed, :records, :over, :refund, :outcome, :at)
                on conflict (line_id, category, period_start) do nothing
                returning id""")
                .param("customer", customerId).param("line", line.id()).param("category", charge.category().name())
                .param("from", Timestamp.from(charge.periodStart())).param("to", Timestamp.from(charge.periodEnd()))
                .param("label", charge.periodLabel()).param("bill", charge.billReference()).param("description", what)
                .param("billed", billed.fen()).param("records", recordsTotal.fen()).param("over", overcharge.fen())
                .param("refund", refund.fen()).param("outcome", refund.isPositive() ? "REFUNDED" : "EXPLAINED")
                .param("at", Timestamp.from(now)).query(Long.class).optional();
        if (claimed.isEmpty()) {
            long existing = jdbc.sql("select id from bill_dispute where line_id = ? and category = ? and period_start = ?")
                    .params(line.id(), charge.category().name(), Timestamp.from(charge.periodStart())).query(Long.class).single();
            return new Opened(get(customerId, existing), true);
        }
        long id = claimed.get();
        if (refund.isPositive()) {
            ledger.credit(new Posting(customerId, refund, Dispute.refundKey(id), ReasonCodes.REFUND,
                    "账单争议退款 " + line.msisdn().masked() + " " + charge.periodLabel() + "（多收 " + overcharge.display() + " 双倍退还）"), "DISPUTE");
            sms.send(line.msisdn().value(), "【天汇移动】您对 " + charge.periodLabel() + " " + categoryName(charge.category())
                    + "费用的疑问已核实：多收 " + overcharge.display() + "，已双倍退还 " + refund.display() + " 至您的账户。", "dispute");
        }
        return new Opened(get(customerId, id), false);
    }

    /** Hands an explained dispute to a person: a care ticket in the agent console, once however often it is asked. */
    @Transactional
    public Dispute escalate(long customerId, long disputeId) {
        Dispute d = get(customerId, disputeId);
        jdbc.sql("select 1 from bill_dispute where id = ? for update").param(d.id()).query(Integer.class).single();
        d = get(customerId, disputeId);
        if (d.refunded()) {
            throw new BusinessRuleException("invoicing.dispute.error.refunded", "dispute " + disputeId + " was settled with a refund");
        }
        if (d.escalated()) {
            return d;
        }
        Line line = customers.lineOf(customerId, d.lineId());
        String subject = "账单争议：" + line.msisdn().masked() + " " + d.periodLabel() + " " + categoryName(d.category()) + " " + d.billed().display();
        Ticket ticket = tickets.open(customerId, Tickets.BILL_DISPUTE, subject,
                d.description() + "（系统核对：" + d.records().size() + " 条计费记录，均未超过当时资费）", Dispute.refundKey(d.id()));
        jdbc.sql("update bill_dispute set outcome = 'ESCALATED', ticket_id = ? where id = ?").params(ticket.id(), d.id()).update();
        return get(customerId, disputeId);
    }

    public Dispute get(long customerId, long disputeId) {
        Dispute head = jdbc.sql("select * from bill_dispute where id = ? and customer_id = ?").params(disputeId, customerId)
                .query(Disputes::map).optional().orElseThrow(() -> new NotFoundException("no dispute " + disputeId));
        Charge charge = new Charge(head.lineId(), head.category(), head.periodStart(), head.periodEnd(), head.periodLabel(),
                head.billReference(), head.billed());
        return new Dispute(head.id(), head.customerId(), head.lineId(), head.category(), head.periodStart(), head.periodEnd(),
                head.periodLabel(), head.billReference(), head.description(), head.billed(), head.recordsTotal(), head.overcharge(),
                head.refund(), head.outcome(), head.ticketId(), head.createdAt(), check(head.lineId(), charge));
    }

    public List<Dispute> of(long customerId) {
        return jdbc.sql("select * from bill_dispute where customer_id = ? order by created_at desc, id desc limit 50").param(customerId)
                .query(Disputes::map).list();
    }

    /** The months a charge may be disputed in: those whose usage detail is online. */
    public List<YearMonth> months() {
        return UsageRecords.monthsOnline(YearMonth.now(clock.withZone(Customer.ZONE)));
    }

    private YearMonth month(String value) {
        List<YearMonth> online = months();
        Optional<YearMonth> month = UsageExports.onlineMonth(value, online);
        if (month.isPresent()) {
            return month.get();
        }
        YearMonth first = online.get(online.size() - 1);
        throw new BusinessRuleException("invoicing.dispute.error.month", "charges of the last " + UsageRecords.MONTHS_ONLINE
                + " months can be disputed, " + first + " to " + online.get(0) + ", was " + value, first.toString(), online.get(0).toString());
    }

    /** The charged records behind the charge, each with the most it could cost at the price that applied when it was used. */
    private List<Dispute.CheckedRecord> check(long lineId, Charge charge) {
        List<Dispute.CheckedRecord> checked = new ArrayList<>();
        YearMonth last = YearMonth.from(charge.periodEnd().minusNanos(1).atZone(Customer.ZONE));
        for (YearMonth m = YearMonth.from(charge.periodStart().atZone(Customer.ZONE)); !m.isAfter(last); m = m.plusMonths(1)) {
            for (UsageRecord r : records.allInMonth(lineId, m)) {
                if (r.type() != charge.category() || !r.charge().isPositive()
                        || r.startedAt().isBefore(charge.periodStart()) || !r.startedAt().isBefore(charge.periodEnd())) {
                    continue;
                }
                // the plan the line had when the record was used, at the price version in force then
                String planId = inventory.planOfferings(List.of(lineId), r.startedAt()).get(lineId);
                Optional<Offering> plan = planId == null ? Optional.empty() : catalog.findAt(planId, r.startedAt());
                Money max = rating.maxCharge(r, plan.map(Offering::price).orElse(null));
                checked.add(new Dispute.CheckedRecord(r, max, planId, plan.map(o -> o.price().version()).orElse(0)));
            }
        }
        return checked;
    }

    private static String categoryName(UsageType type) {
        return switch (type) {
            case VOICE -> "通话";
            case SMS -> "短信";
            case DATA -> "上网流量";
        };
    }

    private static Dispute map(ResultSet rs, int row) throws SQLException {
        return new Dispute(rs.getLong("id"), rs.getLong("customer_id"), rs.getLong("line_id"), UsageType.valueOf(rs.getString("category")),
                rs.getTimestamp("period_start").toInstant(), rs.getTimestamp("period_end").toInstant(), rs.getString("period_label"),
                rs.getString("bill_reference"), rs.getString("description"), Money.ofFen(rs.getLong("billed_fen")),
                Money.ofFen(rs.getLong("records_fen")), Money.ofFen(rs.getLong("overcharge_fen")), Money.ofFen(rs.getLong("refund_fen")),
                DisputeOutcome.valueOf(rs.getString("outcome")), rs.getObject("ticket_id", Long.class),
                rs.getTimestamp("created_at").toInstant(), List.of());
    }
}
