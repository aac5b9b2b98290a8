package org.telehall.invoicing;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.billing.Bill;
import org.telehall.billing.BillCategory;
import org.telehall.billing.Bills;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentRefunded;
import org.telehall.payment.PaymentSettled;
import org.telehall.payment.PaymentStatus;
import org.telehall.payment.Payments;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;

/**
 * E-invoices: issued once per top-up or bill on the customer's request, never changed afterwards
 * (the database refuses it too), cancelled only by a red-letter invoice with the negated amounts.
 *
 * <p>Tax: the amounts paid include tax. A top-up is invoiced as basic telecom services at 9 % (the
 * prepaid balance pays for calls, SMS and the plan's fee); a bill splits basic services (9 %: the
 * plan's fee, calls, SMS, roaming, with the bill's adjustments and discounts) from value-added ones
 * (6 %: data, packs, service subscriptions). Net = total / (1 + rate), rounded to
 * the fen half up, per item; tax = total − net, so every item and the invoice add up exactly.
 */
@Service
public class Invoices {

    public static final int BASIC_TELECOM_BP = 900;
    public static final int VALUE_ADDED_BP = 600;
    static final String TOPUP_ITEM = "*电信服务*话费充值";
    static final String BASIC_ITEM = "*电信服务*基础电信服务";
    static final String VALUE_ADDED_ITEM = "*电信服务*增值电信服务";
    /** How many of the newest bills are offered for invoicing on the invoices page. */
    static final int BILLS_OFFERED = 6;

    /** The invoice and whether it was there already (a second request for the same top-up or bill). */
    public record Issued(Invoice invoice, boolean existing) {
    }

    private record NewItem(String name, int taxRateBp, Money total) {
    }

    private static final String SELECT = """
            select i.*, o.number as original_number, r.number as reversed_by_number
              from invoice i left join invoice o on o.id = i.original_id left join invoice r on r.id = i.reversed_by_id
            """;

    private final JdbcClient jdbc;
    private final Payments payments;
    private final Bills bills;
    private final Customers customers;
    private final SellerProperties seller;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Invoices(JdbcClient jdbc, Payments payments, Bills bills, Customers customers, SellerProperties seller, Clock clock) {
        this.jdbc = jdbc;
        this.payments = payments;
        this.bills = bills;
        this.customers = customers;
        this.seller = seller;
        this.clock = clock;
    }

    /**
     * A settled top-up becomes something its payer may invoice, recorded inside the settling transaction:
     * one insert where an after-commit listener cost an event publication and a transaction of its own
     * per top-up. Bill payments are invoiced through their bill.
     */
    @EventListener
    void on(PaymentSettled settled) {
        if (!Payments.PURPOSE_TOPUP.equals(settled.purpose())) {
            return;
        }
        recordSource(SourceKind.TOPUP, Long.toString(settled.paymentId()), settled.payerCustomerId(), settled.msisdn(),
                settled.amount(), settled.at());
    }

    /** A refunded top-up can no longer be invoiced, and its invoice, if any, is reversed with a red-letter one. */
    @ApplicationModuleListener
    void on(PaymentRefunded refunded) {
        if (!Payments.PURPOSE_TOPUP.equals(refunded.purpose())) {
            return;
        }
        String reference = Long.toString(refunded.paymentId());
        jdbc.sql("update invoice_source set withdrawn_at = ? where kind = 'TOPUP' and reference = ? and withdrawn_at is null")
                .params(Timestamp.from(refunded.at()), reference).update();
        live(SourceKind.TOPUP, reference).ifPresent(i -> reverse(i.customerId(), i.id(), "退款 " + refunded.refundNo()));
    }

    /** What the customer paid and has not invoiced yet, newest first. */
    public List<InvoiceSource> invoiceable(long customerId) {
        for (Bill bill : bills.of(customerId, BILLS_OFFERED)) {
            recordBill(bill);
        }
        return jdbc.sql("""
                select * from invoice_source s where customer_id = ? and withdrawn_at is null
                   and not exists (select 1 from invoice i where i.source_kind = s.kind and i.source_reference = s.reference
                                   and i.kind = 'BLUE' and i.status = 'ISSUED')
                 order by occurred_at desc limit 50""").param(customerId).query(Invoices::source).list();
    }

    /**
     * One of the customer's invoiceable payments, or 404. A top-up settled before invoicing was
     * listening is looked up with the payment module and recorded now.
     */
    public InvoiceSource source(long customerId, SourceKind kind, String reference) {
        Optional<InvoiceSource> recorded = findSource(kind, reference).filter(s -> s.customerId() == customerId);
        if (recorded.isPresent()) {
            return recorded.get();
        }
        if (kind == SourceKind.BILL) {
            Bill bill = bills.get(customerId, parseId(reference));
            if (!bill.total().isPositive()) {
                throw new BusinessRuleException("invoicing.error.bill-empty", "bill " + bill.billNo() + " charges nothing to invoice");
            }
            recordBill(bill);
            return findSource(kind, reference).orElseThrow();
        }
        if (kind == SourceKind.TOPUP) {
            Payment p = payments.find(customerId, parseId(reference)).orElseThrow(() -> new NotFoundException("no top-up " + reference));
            if (!p.forBill() && (p.status() == PaymentStatus.PAID || p.status() == PaymentStatus.REFUNDED)) {
                recordSource(SourceKind.TOPUP, reference, customerId, p.msisdn().value(), p.amount(), p.paidAt());
                if (p.status() == PaymentStatus.REFUNDED) {
                    jdbc.sql("update invoice_source set withdrawn_at = ? where kind = 'TOPUP' and reference = ? and withdrawn_at is null")
                            .params(Timestamp.from(p.refundedAt()), reference).update();
                }
                return findSource(kind, reference).orElseThrow();
            }
            if (!p.forBill()) {
                throw new BusinessRuleException("invoicing.error.unpaid", "top-up " + reference + " is not paid (" + p.status() + ")");
            }
        }
        throw new NotFoundException("nothing to invoice for " + kind + " " + reference);
    }

    /**
     * Issues the invoice for a top-up or bill, or returns the one already issued for it (whatever
     * buyer the second request names: an issued invoice does not change). Concurrent requests for
     * the same payment queue on its row, so exactly one invoice comes out.
     */
    @Transactional
    public Issued request(long customerId, SourceKind kind, String reference, Buyer buyer) {
        InvoiceSource source = source(customerId, kind, reference);
        jdbc.sql("select 1 from invoice_source where kind = ? and reference = ? for update").params(kind.name(), reference)
                .query(Integer.class).single();
        Optional<Invoice> existing = live(kind, reference);
        if (existing.isPresent()) {
            return new Issued(existing.get(), true);
        }
        if (findSource(kind, reference).orElseThrow().withdrawn()) {
            throw new BusinessRuleException("invoicing.error.withdrawn", kind + " " + reference + " was refunded: nothing to invoice");
        }
        List<NewItem> items = switch (kind) {
            case TOPUP -> List.of(new NewItem(TOPUP_ITEM, BASIC_TELECOM_BP, source.amount()));
            case BILL -> billItems(bills.get(customerId, parseId(reference)));
        };
        long id = insert(InvoiceKind.BLUE, kind, reference, customerId, buyer, items, null, null);
        return new Issued(get(customerId, id), false);
    }

    /**
     * Cancels a blue invoice with a red-letter one (冲红): the same buyer, seller and items with
     * negated amounts, naming the original; the original is marked reversed. Reversing it again
     * returns the same red invoice.
     */
    @Transactional
    public Invoice reverse(long customerId, long invoiceId, String reason) {
        Invoice original = get(customerId, invoiceId);
        jdbc.sql("select 1 from invoice where id = ? for update").param(original.id()).query(Integer.class).single();
        original = get(customerId, invoiceId);
        if (original.red()) {
            throw new BusinessRuleException("invoicing.error.red", "invoice " + original.number() + " is itself a red-letter invoice");
        }
        if (original.status() == InvoiceStatus.REVERSED) {
            return get(customerId, original.reversedById());
        }
        String why = reason == null || reason.isBlank() ? "冲红" : reason.strip();
        if (why.length() > 200) {
            why = why.substring(0, 200);
        }
        List<NewItem> negated = original.items().stream().map(i -> new NewItem(i.name(), i.taxRateBp(), i.total().negate())).toList();
        long redId = insert(InvoiceKind.RED, original.sourceKind(), original.sourceReference(), customerId, original.buyer(), negated,
                original.id(), why);
        jdbc.sql("update invoice set status = 'REVERSED', reversed_at = ?, reversed_by_id = ? where id = ?")
                .params(Timestamp.from(clock.instant()), redId, original.id()).update();
        return get(customerId, redId);
    }

    public List<Invoice> of(long customerId, int offset, int limit) {
        List<Invoice> heads = jdbc.sql(SELECT + " where i.customer_id = ? order by i.issued_at desc, i.id desc offset ? limit ?")
                .params(customerId, offset, limit).query((rs, n) -> invoice(rs, List.of())).list();
        return heads.stream().map(h -> withItems(h)).toList();
    }

    public long countOf(long customerId) {
        return jdbc.sql("select count(*) from invoice where customer_id = ?").param(customerId).query(Long.class).single();
    }

    /** One of the customer's invoices, or 404: someone else's is indistinguishable from none. */
    public Invoice get(long customerId, long invoiceId) {
        return jdbc.sql(SELECT + " where i.id = ? and i.customer_id = ?").params(invoiceId, customerId)
                .query((rs, n) -> invoice(rs, List.of())).optional().map(this::withItems)
                .orElseThrow(() -> new NotFoundException("no invoice " + invoiceId));
    }

    /** The live (blue, not reversed) invoice of a top-up or bill. */
    public Optional<Invoice> live(SourceKind kind, String reference) {
        return jdbc.sql(SELECT + " where i.source_kind = ? and i.source_reference = ? and i.kind = 'BLUE' and i.status = 'ISSUED'")
                .params(kind.name(), reference).query((rs, n) -> invoice(rs, List.of())).optional().map(this::withItems);
    }

    /** Every invoice, blue and red, issued for a top-up or bill, oldest first. */
    public List<Invoice> forSource(long customerId, SourceKind kind, String reference) {
        return jdbc.sql(SELECT + " where i.customer_id = ? and i.source_kind = ? and i.source_reference = ? order by i.id")
                .params(customerId, kind.name(), reference).query((rs, n) -> invoice(rs, List.of())).list()
                .stream().map(this::withItems).toList();
    }

    /** One of the customer's invoices as a PDF. */
    public byte[] pdf(long customerId, long invoiceId) {
        return InvoicePdf.render(get(customerId, invoiceId));
    }

    /** Net and tax of a tax-inclusive amount: net rounded to the fen half up, tax the rest. */
    static Money[] split(Money total, int taxRateBp) {
        long net = BigDecimal.valueOf(total.fen()).multiply(BigDecimal.valueOf(10_000))
                .divide(BigDecimal.valueOf(10_000L + taxRateBp), 0, RoundingMode.HALF_UP).longValueExact();
        return new Money[]{Money.ofFen(net), Money.ofFen(total.fen() - net)};
    }

    private long insert(InvoiceKind kind, SourceKind sourceKind, String reference, long customerId, Buyer buyer, List<NewItem> items,
                        Long originalId, String reason) {
        Instant now = clock.instant();
        long seq = jdbc.sql("select nextval('invoice_number_seq')").query(Long.class).single();
        String number = String.format("%d%012d", now.atZone(Customer.ZONE).getYear(), seq);
        long net = 0;
        long tax = 0;
        List<Money[]> splits = new ArrayList<>();
        for (NewItem item : items) {
            Money[] split = split(item.total(), item.taxRateBp());
            splits.add(split);
            net += split[0].fen();
            tax += split[1].fen();
        }
        long id = jdbc.sql("""
                insert into invoice (number, kind, status, source_kind, source_reference, customer_id, buyer_type, buyer_name, buyer_tax_id,
                                     seller_name, seller_tax_id, seller_address, net_fen, tax_fen, total_fen, check_code, issued_at,
                                     original_id, reason)
                values (:number, :kind, 'ISSUED', :sourceKind, :reference, :customer, :buyerType, :buyerName, :buyerTaxId,
                        :sellerName, :sellerTaxId, :sellerAddress, :net, :tax, :total, :checkCode, :at, :original, :reason)
                returning id""")
                .param("number", number).param("kind", kind.name()).param("sourceKind", sourceKind.name())
                .param("reference", reference).param("customer", customerId).param("buyerType", buyer.type().name())
                .param("buyerName", buyer.name()).param("buyerTaxId", buyer.taxId())
                .param("sellerName", seller.name()).param("sellerTaxId", seller.taxId()).param("sellerAddress", seller.address())
                .param("net", net).param("tax", tax).param("total", net + tax).param("checkCode", checkCode())
                .param("at", Timestamp.from(now)).param("original", originalId).param("reason", reason)
                .query(Long.class).single();
        for (int i = 0; i < items.size(); i++) {
            NewItem item = items.get(i);
            Money[] split = splits.get(i);
            jdbc.sql("insert into invoice_item (invoice_id, line_no, name, tax_rate_bp, net_fen, tax_fen, total_fen) values (?, ?, ?, ?, ?, ?, ?)")
                    .params(id, i + 1, item.name(), item.taxRateBp(), split[0].fen(), split[1].fen(), item.total().fen()).update();
        }
        return id;
    }

    /** 20 random digits, printed on the invoice and carried in its QR code. */
    private String checkCode() {
        StringBuilder sb = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            sb.append(random.nextInt(10));
        }
        return sb.toString();
    }

    /** A bill with charges is something its customer may invoice, under the bill's id. */
    private void recordBill(Bill bill) {
        if (!bill.total().isPositive()) {
            return;
        }
        String msisdn = customers.linesOf(bill.customerId()).stream().findFirst().map(l -> l.msisdn().value()).orElse("");
        recordSource(SourceKind.BILL, Long.toString(bill.id()), bill.customerId(), msisdn, bill.total(), bill.issuedAt());
    }

    /**
     * A bill's items by tax rate. The adjustments and discounts lower the basic services; whatever a
     * group nets to below zero lowers the other group instead, so no item is negative and the items
     * add up to the bill's total.
     */
    static List<NewItem> billItems(Bill bill) {
        long basic = 0;
        long valueAdded = 0;
        for (BillCategory c : BillCategory.values()) {
            long fen = bill.amount(c).fen();
            switch (c) {
                case DATA, PACKS, SERVICES -> valueAdded += fen;
                case PLAN, VOICE, SMS, ROAMING, ADJUSTMENTS, DISCOUNTS -> basic += fen;
            }
        }
        if (basic < 0) {
            valueAdded += basic;
            basic = 0;
        }
        if (valueAdded < 0) {
            basic += valueAdded;
            valueAdded = 0;
        }
        List<NewItem> items = new ArrayList<>();
        if (basic > 0) {
            items.add(new NewItem(BASIC_ITEM, BASIC_TELECOM_BP, Money.ofFen(basic)));
        }
        if (valueAdded > 0) {
            items.add(new NewItem(VALUE_ADDED_ITEM, VALUE_ADDED_BP, Money.ofFen(valueAdded)));
        }
        return items;
    }

    private void recordSource(SourceKind kind, String reference, long customerId, String msisdn, Money amount, Instant at) {
        jdbc.sql("""
                insert into invoice_source (kind, reference, customer_id, msisdn, amount_fen, occurred_at) values (?, ?, ?, ?, ?, ?)
                on conflict (kind, reference) do nothing""")
                .params(kind.name(), reference, customerId, msisdn, amount.fen(), Timestamp.from(at)).update();
    }

    private Optional<InvoiceSource> findSource(SourceKind kind, String reference) {
        return jdbc.sql("select * from invoice_source where kind = ? and reference = ?").params(kind.name(), reference)
                .query(Invoices::source).optional();
    }

    private static long parseId(String reference) {
        try {
            return Long.parseLong(reference);
        } catch (NumberFormatException e) {
            throw new NotFoundException("no top-up " + reference);
        }
    }

    private Invoice withItems(Invoice head) {
        List<Invoice.Item> items = jdbc.sql("select * from invoice_item where invoice_id = ? order by line_no").param(head.id())
                .query((rs, n) -> new Invoice.Item(rs.getInt("line_no"), rs.getString("name"), rs.getInt("tax_rate_bp"),
                        Money.ofFen(rs.getLong("net_fen")), Money.ofFen(rs.getLong("tax_fen")), Money.ofFen(rs.getLong("total_fen"))))
                .list();
        return new Invoice(head.id(), head.number(), head.kind(), head.status(), head.sourceKind(), head.sourceReference(), head.customerId(),
                head.buyer(), head.sellerName(), head.sellerTaxId(), head.sellerAddress(), head.net(), head.tax(), head.total(),
                head.checkCode(), head.issuedAt(), head.originalId(), head.originalNumber(), head.reason(), head.reversedAt(),
                head.reversedById(), head.reversedByNumber(), items);
    }

    private static Invoice invoice(ResultSet rs, List<Invoice.Item> items) throws SQLException {
        Timestamp reversedAt = rs.getTimestamp("reversed_at");
        return new Invoice(rs.getLong("id"), rs.getString("number"), InvoiceKind.valueOf(rs.getString("kind")),
                InvoiceStatus.valueOf(rs.getString("status")), SourceKind.valueOf(rs.getString("source_kind")),
                rs.getString("source_reference"), rs.getLong("customer_id"),
                new Buyer(BuyerType.valueOf(rs.getString("buyer_type")), rs.getString("buyer_name"), rs.getString("buyer_tax_id")),
                rs.getString("seller_name"), rs.getString("seller_tax_id"), rs.getString("seller_address"),
                Money.ofFen(rs.getLong("net_fen")), Money.ofFen(rs.getLong("tax_fen")), Money.ofFen(rs.getLong("total_fen")),
                rs.getString("check_code"), rs.getTimestamp("issued_at").toInstant(), rs.getObject("original_id", Long.class),
                rs.getString("original_number"), rs.getString("reason"), reversedAt == null ? null : reversedAt.toInstant(),
                rs.getObject("reversed_by_id", Long.class), rs.getString("reversed_by_number"), items);
    }

    private static InvoiceSource source(ResultSet rs, int row) throws SQLException {
        Timestamp withdrawn = rs.getTimestamp("withdrawn_at");
        return new InvoiceSource(SourceKind.valueOf(rs.getString("kind")), rs.getString("reference"), rs.getLong("customer_id"),
                rs.getString("msisdn"), Money.ofFen(rs.getLong("amount_fen")), rs.getTimestamp("occurred_at").toInstant(),
                withdrawn == null ? null : withdrawn.toInstant());
    }
}
