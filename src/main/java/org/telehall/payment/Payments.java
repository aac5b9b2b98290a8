package org.telehall.payment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.customer.Line;
import org.telehall.customer.LineStatus;
import org.telehall.customer.Customers;
import org.telehall.identity.Accounts;
import org.telehall.identity.Audit;
import org.telehall.ledger.InsufficientBalanceException;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.ledger.UsageCharge;
import org.telehall.notify.Sms;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;

/**
 * Payment orders from creation to credit. Creating takes an idempotency key (the same key and
 * request return the same order; the same key with another request is refused). Money is credited
 * only by {@link #settle}, under a row lock and with the order id as the ledger's business key, so a
 * notification replayed, a query and a reconciliation racing each other credit it once.
 */
@Service
public class Payments {

    /** The smallest and largest top-up one order may carry. */
    public static final Money MIN = Money.ofYuan(1);
    public static final Money MAX = Money.ofYuan(2000);
    public static final List<Long> PRESETS_YUAN = List.of(30L, 50L, 100L, 200L, 300L, 500L);
    /** A payment with no word from the provider after this long is asked about. */
    static final Duration QUERY_AFTER = Duration.ofMinutes(2);
    /** …and closed when the provider still has not taken the money after this long. */
    static final Duration CLOSE_AFTER = Duration.ofMinutes(30);
    private static final Logger log = LoggerFactory.getLogger(Payments.class);

    /** A top-up asked for: who pays, for which number, how much, how, under which idempotency key. */
    public record TopupRequest(long payerCustomerId, long payerUserId, String msisdn, Money amount, PaymentMethod method, String channel,
                               String idempotencyKey) {
    }

    /**
     * A bill paid through a provider: the money is credited to the account of the bill's line like a
     * top-up, and the billing module, hearing of the credit, marks the bill paid. {@code billReference}
     * is the bill's id as billing knows it; this module only carries it.
     */
    public record BillPaymentRequest(long payerCustomerId, long payerUserId, String msisdn, Money amount, PaymentMethod method, String channel,
                                     String billReference, String idempotencyKey) {
    }

    /** The order, where to pay it, and whether this was a repeat of an earlier request with the same key. */
    public record Created(Payment payment, PaymentProvider.Checkout checkout, boolean replayed) {
    }

    /** What a settlement attempt came to. */
    public enum Settlement { CREDITED, ALREADY_CREDITED, AMOUNT_MISMATCH, UNKNOWN_ORDER }

    private final JdbcClient jdbc;
    private final Customers customers;
    private final Ledger ledger;
    private final Accounts accounts;
    private final Sms sms;
    private final Audit audit;
    private final MessageSource messages;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Map<PaymentMethod, PaymentProvider> providers = new EnumMap<>(PaymentMethod.class);

    Payments(JdbcClient jdbc, Customers customers, Ledger ledger, Accounts accounts, Sms sms, Audit audit, MessageSource messages,
             List<PaymentProvider> providers, Clock clock, ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.customers = customers;
        this.ledger = ledger;
        this.accounts = accounts;
        this.sms = sms;
        this.audit = audit;
        this.messages = messages;
        this.clock = clock;
        this.events = events;
        providers.forEach(p -> this.providers.put(p.method(), p));
    }

    public PaymentProvider provider(PaymentMethod method) {
        PaymentProvider p = providers.get(method);
        if (p == null) {
            throw new BusinessRuleException("payment.method-unavailable", "no provider for " + method);
        }
        return p;
    }

    /**
     * Creates a top-up order, or returns the one this key already made. Refuses a number the operator
     * does not serve, a closed line, an amount out of range, and a key reused for a different request.
     */
    @Transactional
    public Created createTopup(TopupRequest r) {
        return create(new Order(r.payerCustomerId(), r.payerUserId(), r.msisdn(), r.amount(), r.method(), r.channel(), PURPOSE_TOPUP, null,
                r.idempotencyKey()));
    }

    /** Creates a payment order for a bill (or returns the one this key already made), refused like a top-up. */
    @Transactional
    public Created createBillPayment(BillPaymentRequest r) {
        if (r.billReference() == null || r.billReference().isBlank() || r.billReference().length() > 40) {
            throw new IllegalArgumentException("a bill reference of 1 to 40 characters is required");
        }
        return create(new Order(r.payerCustomerId(), r.payerUserId(), r.msisdn(), r.amount(), r.method(), r.channel(), PURPOSE_BILL,
                r.billReference(), r.idempotencyKey()));
    }

    public static final String PURPOSE_TOPUP = "TOPUP";
    public static final String PURPOSE_BILL = "BILL";

    private record Order(long payerCustomerId, long payerUserId, String msisdn, Money amount, PaymentMethod method, String channel,
                         String purpose, String reference, String idempotencyKey) {
    }

    private Created create(Order r) {
        if (r.idempotencyKey() == null || r.idempotencyKey().isBlank() || r.idempotencyKey().length() > 80) {
            throw new IllegalArgumentException("an idempotency key of 1 to 80 characters is required");
        }
        String number = r.msisdn() == null ? "" : r.msisdn().replaceAll("[\\s-]", "");
        if (!Msisdn.isValid(number)) {
            throw new BusinessRuleException("payment.bad-number", "not a mobile number: " + r.msisdn());
        }
        if (r.amount() == null || r.amount().compareTo(MIN) < 0 || r.amount().compareTo(MAX) > 0) {
            throw new BusinessRuleException("payment.amount-out-of-range", "the amount must be between " + MIN + " and " + MAX,
                    MIN.display(), MAX.display());
        }
        String hash = sha256(r.purpose() + "|" + (r.reference() == null ? "" : r.reference()) + "|" + number + "|" + r.amount().fen() + "|"
                + r.method());
        // the line first and the key only when the order cannot be written: a new order (the usual case) is one lookup and one
        // statement, where asking for the key first was a round trip every order paid for
        Optional<Line> found = customers.lineByMsisdn(new Msisdn(number));
        if (found.isEmpty() || found.get().status() == LineStatus.STOPPED) {
            Optional<Payment> earlier = byKey(r.payerUserId(), r.idempotencyKey());
            if (earlier.isPresent()) {
                return replay(earlier.get(), hash);
            }
        }
        Line line = found.orElseThrow(() -> new BusinessRuleException("payment.unknown-number",
                "no line " + Msisdn.maskNumber(number) + " with this operator"));
        if (line.status() == LineStatus.STOPPED) {
            throw new BusinessRuleException("payment.line-closed", "line " + line.msisdn().masked() + " is closed");
        }
        PaymentProvider provider = provider(r.method());
        // at the database's precision, so the order answered now equals the order read back later
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        List<Payment.Event> timeline = List.of(new Payment.Event(now, "CREATED", r.amount().display() + " → " + Msisdn.maskNumber(number)),
                new Payment.Event(now, "SENT_TO_PROVIDER", r.method().slug()));
        // the order and both timeline steps in one statement, and the order answered from what was just written rather than
        // read back: round trips are most of a top-up's cost (the checkout below is in the same transaction, so a failed
        // checkout still leaves nothing). A key already used writes nothing and answers no id.
        Optional<Long> id = jdbc.sql("""
                with created as (
                    insert into payment_order (payer_customer_id, payer_user_id, target_customer_id, msisdn, purpose, reference, method,
                                               channel, amount_fen, status, idempotency_key, request_hash, created_at)
                    values (:payer, :user, :target, :msisdn, :purpose, :reference, :method, :channel, :amount, 'PENDING', :key, :hash, :at)
                    on conflict (payer_user_id, idempotency_key) do nothing returning id),
                steps as (
                    insert into payment_event (payment_id, at, step, detail)
                    select id, cast(:at as timestamptz), cast(:step1 as varchar), cast(:detail1 as varchar) from created
                    union all
                    select id, cast(:at as timestamptz), cast(:step2 as varchar), cast(:detail2 as varchar) from created)
                select id from created
                """).param("payer", r.payerCustomerId()).param("user", r.payerUserId()).param("target", line.customerId())
                .param("msisdn", number).param("purpose", r.purpose()).param("reference", r.reference()).param("method", r.method().name())
                .param("channel", r.channel()).param("amount", r.amount().fen()).param("key", r.idempotencyKey()).param("hash", hash)
                .param("at", Timestamp.from(now)).param("step1", timeline.get(0).step()).param("detail1", timeline.get(0).detail())
                .param("step2", timeline.get(1).step()).param("detail2", timeline.get(1).detail())
                .query(Long.class).optional();
        if (id.isEmpty()) {
            // the key was used before, or the same key arrived twice at once and the other request made the order
            return replay(byKey(r.payerUserId(), r.idempotencyKey()).orElseThrow(), hash);
        }
        PaymentProvider.Checkout checkout = provider.checkout(Payment.outTradeNo(id.get()), r.amount(),
                subject(r.purpose(), r.reference(), Msisdn.maskNumber(number)));
        Payment created = new Payment(id.get(), r.payerCustomerId(), r.payerUserId(), line.customerId(), new Msisdn(number), r.purpose(),
                r.reference(), r.method(), r.channel(), r.amount(), PaymentStatus.PENDING, null, now, null, null, null, null, timeline);
        return new Created(created, checkout, false);
    }

    private Created replay(Payment earlier, String hash) {
        String stored = jdbc.sql("select request_hash from payment_order where id = ?").param(earlier.id()).query(String.class).single();
        if (!stored.equals(hash)) {
            throw new BusinessRuleException("payment.key-reused", "this idempotency key was used for a different request");
        }
        return new Created(earlier, checkout(earlier), true);
    }

    /**
     * Where a payment still waiting for its money can be paid: the provider's checkout for the same
     * order number again (providers answer a repeated checkout of one order with the same page), so a
     * payer who left the provider's page, or a family member scanning its QR code, can pay it. Empty
     * once the order is no longer pending.
     */
    public Optional<PaymentProvider.Checkout> checkoutOf(Payment p) {
        return p.status() == PaymentStatus.PENDING ? Optional.of(checkout(p)) : Optional.empty();
    }

    /** The provider's checkout of an order already made (a replayed request, a payer coming back to pay). */
    private PaymentProvider.Checkout checkout(Payment p) {
        return provider(p.method()).checkout(p.outTradeNo(), p.amount(), subject(p.purpose(), p.reference(), p.msisdn().masked()));
    }

    /** What the payer sees at the provider (and on their statement there). */
    private static String subject(String purpose, String reference, String maskedNumber) {
        return PURPOSE_BILL.equals(purpose) ? "话费账单 " + reference + " " + maskedNumber : "话费充值 " + maskedNumber;
    }

    /**
     * The provider says the order is paid (its verified notification, or the answer to a query):
     * credit it once. A wrong amount credits nothing and is recorded for the reconciliation to look at.
     */
    @Transactional
    public Settlement settle(PaymentMethod method, String outTradeNo, String tradeNo, Money amount, String via) {
        Optional<Long> id = idOf(outTradeNo);
        if (id.isEmpty()) {
            return Settlement.UNKNOWN_ORDER;
        }
        Optional<Payment> locked = jdbc.sql("select * from payment_order where id = ? and method = ? for update")
                .params(id.get(), method.name()).query(Payments::row).optional();
        if (locked.isEmpty()) {
            audit.recordWithin(method.slug(), "payment.unknown-order", outTradeNo, via);
            return Settlement.UNKNOWN_ORDER;
        }
        Payment p = locked.get();
        Instant now = clock.instant();
        if (!p.amount().equals(amount)) {
            event(p.id(), now, "AMOUNT_MISMATCH", via + ": " + amount.display() + " ≠ " + p.amount().display());
            audit.recordWithin(method.slug(), "payment.amount-mismatch", "payment:" + p.id(), amount.display());
            return Settlement.AMOUNT_MISMATCH;
        }
        if (p.status() == PaymentStatus.PAID || p.status() == PaymentStatus.REFUNDED) {
            return Settlement.ALREADY_CREDITED;
        }
        return credit(p, method, tradeNo, via, now);
    }

    /**
     * Reconciliation found the provider's payment without our credit in the journal: credit it now,
     * whatever the order's status says (a closed order paid late, or a row that says paid without the
     * money). The credit's business key keeps it to once.
     */
    @Transactional
    Settlement settleFromReconciliation(PaymentMethod method, long paymentId, String tradeNo, Money amount) {
        Optional<Payment> locked = jdbc.sql("select * from payment_order where id = ? and method = ? for update")
                .params(paymentId, method.name()).query(Payments::row).optional();
        if (locked.isEmpty()) {
            return Settlement.UNKNOWN_ORDER;
        }
        Payment p = locked.get();
        if (!p.amount().equals(amount)) {
            return Settlement.AMOUNT_MISMATCH;
        }
        if (p.status() == PaymentStatus.REFUNDED) {
            return Settlement.ALREADY_CREDITED;
        }
        return credit(p, method, tradeNo, "reconciliation", clock.instant());
    }

    private Settlement credit(Payment p, PaymentMethod method, String tradeNo, String via, Instant now) {
        boolean bill = PURPOSE_BILL.equals(p.purpose());
        // reconciliation reversed it (the provider had no payment), and now the provider says paid after all: credit it again, once
        String key = p.status() == PaymentStatus.FAILED && !ledger.postedKeys(List.of(reversalKey(p.id()))).isEmpty()
                ? recreditKey(p.id()) : creditKey(p.id());
        Ledger.Result credited = ledger.credit(new Posting(p.targetCustomerId(), p.amount(), key,
                bill ? ReasonCodes.BILL_PAYMENT : ReasonCodes.TOPUP,
                (bill ? "账单缴费 " + p.reference() + " " : "话费充值 ") + p.msisdn().masked() + "（" + method.slug() + " " + tradeNo + "）"),
                bill ? "BILL_PAYMENT" : "TOPUP");
        if (!credited.applied()) {
            if (p.status() != PaymentStatus.PAID) {
                jdbc.sql("update payment_order set status = 'PAID', paid_at = coalesce(paid_at, ?), provider_trade_no = ? where id = ?")
                        .params(Timestamp.from(now), tradeNo, p.id()).update();
            }
            return Settlement.ALREADY_CREDITED;
        }
        // the order marked paid and both timeline steps in one statement, and the SMS told from what this transaction knows
        // rather than a read-back
        jdbc.sql("""
                with paid as (
                    update payment_order set status = 'PAID', paid_at = :at, provider_trade_no = :tradeNo, balance_after_fen = :balance
                     where id = :id returning id)
                insert into payment_event (payment_id, at, step, detail)
                select id, cast(:at as timestamptz), 'PAID', cast(:paidDetail as varchar) from paid
                union all
                select id, cast(:at as timestamptz), 'CREDITED', cast(:creditedDetail as varchar) from paid
                """).param("at", Timestamp.from(now)).param("tradeNo", tradeNo).param("balance", credited.balanceAfter().fen())
                .param("id", p.id()).param("paidDetail", via + " · " + tradeNo).param("creditedDetail", p.amount().display()).update();
        tellPaid(p, credited.balanceAfter());
        events.publishEvent(new PaymentSettled(p.id(), p.payerCustomerId(), p.targetCustomerId(), p.msisdn().value(), p.purpose(), p.reference(),
                p.amount(), p.method(), now));
        return Settlement.CREDITED;
    }

    /**
     * Reconciliation found our credit without the provider's payment: take it back through the journal
     * (business key {@code reversal:<id>}) as far as the account's balance and credit reach, mark the
     * order failed, tell the payer. Empty when the order is no longer a paid one (done before, or refunded).
     */
    @Transactional
    Optional<UsageCharge> reverseUnpaid(long paymentId) {
        Optional<Payment> locked = jdbc.sql("select * from payment_order where id = ? for update").param(paymentId).query(Payments::row).optional();
        if (locked.isEmpty() || locked.get().status() != PaymentStatus.PAID) {
            return Optional.empty();
        }
        Payment p = locked.get();
        Instant now = clock.instant();
        UsageCharge taken = ledger.chargeUsage(new Posting(p.targetCustomerId(), p.amount(), reversalKey(p.id()), ReasonCodes.PAYMENT_REVERSAL,
                "对账冲正 " + p.outTradeNo() + "：支付机构未收到款项"), "RECON_REVERSAL");
        jdbc.sql("update payment_order set status = 'FAILED' where id = ?").param(p.id()).update();
        event(p.id(), now, "RECON_REVERSED", taken.charged().display() + (taken.shortfall().isPositive() ? " · " + taken.shortfall().display() : ""));
        accounts.subscriberLoginOf(p.payerCustomerId()).ifPresent(payer -> sms.send(payer.msisdn(),
                messages.getMessage("payment.sms.reversed", new Object[]{p.amount().display(), p.outTradeNo(),
                        messages.getMessage("payment.method." + p.method().name(), null, payer.locale())}, payer.locale()), "payment"));
        return Optional.of(taken);
    }

    /**
     * Reconciliation found the provider's refund without our reversal (we stopped between the two):
     * reverse it now under the refund's own key {@code refund:<id>} and mark the order refunded. Empty
     * when it is already refunded here.
     */
    @Transactional
    Optional<UsageCharge> reverseRefunded(long paymentId, String refundNo, Instant refundedAt) {
        Optional<Payment> locked = jdbc.sql("select * from payment_order where id = ? for update").param(paymentId).query(Payments::row).optional();
        if (locked.isEmpty() || locked.get().status() == PaymentStatus.REFUNDED) {
            return Optional.empty();
        }
        Payment p = locked.get();
        Instant now = clock.instant();
        UsageCharge taken = ledger.chargeUsage(new Posting(p.targetCustomerId(), p.amount(), refundKey(p.id()), ReasonCodes.PAYMENT_REVERSAL,
                "退款 " + p.outTradeNo() + "：支付机构已退款（对账）"), "REFUND");
        jdbc.sql("""
                update payment_order set status = 'REFUNDED', refunded_at = ?, refund_no = ?, refund_reason = ?, refunded_by = ? where id = ?
                """).params(Timestamp.from(refundedAt), refundNo, "provider refund found by reconciliation", Reconciliation.ACTOR, p.id()).update();
        event(p.id(), now, "REFUNDED", p.amount().display() + " · " + refundNo);
        events.publishEvent(new PaymentRefunded(p.id(), p.payerCustomerId(), p.targetCustomerId(), p.purpose(), p.reference(), p.amount(),
                refundNo, now));
        tellRefunded(p);
        return Optional.of(taken);
    }

    /**
     * Gives a paid payment back, at a member of staff's request: the credit is reversed through the
     * journal (business key {@code refund:<id>}) and the provider refunds the payer under our refund
     * number {@code RF<id>}, all in one transaction — if the provider refuses, nothing is reversed.
     * Refused when the account no longer holds the money within its credit limit (it was spent; staff
     * see why and help another way). Asking again for a refunded payment answers it as it is.
     */
    @Transactional
    public Payment refund(long paymentId, String staff, String reason) {
        if (reason == null || reason.isBlank() || reason.length() > 200) {
            throw new BusinessRuleException("payment.refund-reason", "a refund needs a reason of 1 to 200 characters");
        }
        Payment p = jdbc.sql("select * from payment_order where id = ? for update").param(paymentId).query(Payments::row).optional()
                .orElseThrow(() -> new NotFoundException("no payment " + paymentId));
        if (p.status() == PaymentStatus.REFUNDED) {
            return get(p.payerCustomerId(), p.id());
        }
        if (p.status() != PaymentStatus.PAID) {
            throw new BusinessRuleException("payment.refund-not-paid", "payment " + p.id() + " is " + p.status() + ", only a paid one can be refunded");
        }
        Instant now = clock.instant();
        String refundNo = "RF" + p.id();
        try {
            ledger.charge(new Posting(p.targetCustomerId(), p.amount(), refundKey(p.id()), ReasonCodes.PAYMENT_REVERSAL,
                    "退款 " + p.outTradeNo() + "：" + reason.strip()), "REFUND");
        } catch (InsufficientBalanceException e) {
            throw new BusinessRuleException("payment.refund-balance-short", "the account no longer holds " + p.amount(),
                    p.amount().display(), ledger.balanceOf(p.targetCustomerId()).display());
        }
        PaymentProvider.Refund refunded = provider(p.method()).refund(p.outTradeNo(), refundNo, p.amount());
        if (!refunded.refunded()) {
            // the exception rolls the reversal back with it
            throw new BusinessRuleException("payment.refund-refused", "the provider refused the refund: " + refunded.reason(), refunded.reason());
        }
        jdbc.sql("""
                update payment_order set status = 'REFUNDED', refunded_at = ?, refund_no = ?, refund_reason = ?, refunded_by = ? where id = ?
                """).params(Timestamp.from(now), refundNo, reason.strip(), staff, p.id()).update();
        event(p.id(), now, "REFUNDED", p.amount().display() + " · " + refundNo);
        audit.record(staff, "payment.refund", "payment:" + p.id(), reason.strip());
        events.publishEvent(new PaymentRefunded(p.id(), p.payerCustomerId(), p.targetCustomerId(), p.purpose(), p.reference(), p.amount(),
                refundNo, now));
        tellRefunded(p);
        return get(p.payerCustomerId(), p.id());
    }

    /** A payment by its id, whoever paid it: for staff screens only (the caller checks the role). */
    public Optional<Payment> findForStaff(long id) {
        return jdbc.sql("select * from payment_order where id = ?").param(id).query(Payments::row).optional().map(this::withTimeline);
    }

    /** Payments for or by a number, newest first: for staff screens only. */
    public List<Payment> forNumber(String msisdn, int limit) {
        return jdbc.sql("""
                select * from payment_order where msisdn = ?
                    or payer_customer_id in (select customer_id from line where msisdn = ?)
                 order by created_at desc, id desc limit ?
                """).params(msisdn, msisdn, limit).query(Payments::row).list();
    }

    /**
     * Orders the provider never told us about: ask it. Paid ones are settled; ones still unpaid after
     * {@link #CLOSE_AFTER} are closed. Returns how many were settled.
     */
    public int queryPending() {
        Instant now = clock.instant();
        List<Payment> pending = jdbc.sql("select * from payment_order where status = 'PENDING' and created_at <= ? order by created_at limit 500")
                .param(Timestamp.from(now.minus(QUERY_AFTER))).query(Payments::row).list();
        int settled = 0;
        for (Payment p : pending) {
            try {
                Optional<PaymentProvider.TradeStatus> status = provider(p.method()).query(p.outTradeNo());
                if (status.isPresent() && status.get().paid()) {
                    if (settle(p.method(), p.outTradeNo(), status.get().tradeNo(), status.get().amount(), "query") == Settlement.CREDITED) {
                        settled++;
                    }
                } else if (!p.createdAt().isAfter(now.minus(CLOSE_AFTER))) {
                    close(p.id(), now);
                }
            } catch (RuntimeException e) {
                log.warn("query of payment {} failed; asked again next round", p.id(), e);
            }
        }
        return settled;
    }

    /** Closes an order nobody will pay (a refused withholding): the provider is not asked about it again. */
    void closeUnpaid(long id) {
        close(id, clock.instant());
    }

    private void close(long id, Instant now) {
        if (jdbc.sql("update payment_order set status = 'CLOSED' where id = ? and status = 'PENDING'").param(id).update() == 1) {
            event(id, now, "CLOSED", null);
        }
    }

    public Payment get(long payerCustomerId, long id) {
        return find(payerCustomerId, id).orElseThrow(() -> new NotFoundException("no payment " + id));
    }

    public Optional<Payment> find(long payerCustomerId, long id) {
        return jdbc.sql("select * from payment_order where id = ? and payer_customer_id = ?").params(id, payerCustomerId)
                .query(Payments::row).optional().map(this::withTimeline);
    }

    /** A receipt to take away: the file's name and the PDF. */
    public record Receipt(String filename, byte[] pdf) {
    }

    /**
     * The receipt of a payment, for its payer only (another customer's id is not found); only a
     * credited payment has one, and a refunded one keeps it, marked refunded.
     */
    public Receipt receipt(long payerCustomerId, long id, Locale locale) {
        Payment p = get(payerCustomerId, id);
        if (p.status() != PaymentStatus.PAID && p.status() != PaymentStatus.REFUNDED) {
            throw new BusinessRuleException("payment.receipt-not-paid", "payment " + id + " is " + p.status() + ", not credited");
        }
        return new Receipt(ReceiptPdf.filename(p), ReceiptPdf.render(p, messages, locale, clock.instant()));
    }

    /** The payer's payments, newest first. */
    public List<Payment> ofPayer(long payerCustomerId, int offset, int limit) {
        return jdbc.sql("select * from payment_order where payer_customer_id = ? order by created_at desc, id desc offset ? limit ?")
                .params(payerCustomerId, offset, limit).query(Payments::row).list().stream().map(this::withTimeline).toList();
    }

    public long countOf(long payerCustomerId) {
        return jdbc.sql("select count(*) from payment_order where payer_customer_id = ?").param(payerCustomerId).query(Long.class).single();
    }

    static String creditKey(long paymentId) {
        return "payment:" + paymentId;
    }

    static String refundKey(long paymentId) {
        return "refund:" + paymentId;
    }

    static String reversalKey(long paymentId) {
        return "reversal:" + paymentId;
    }

    static String recreditKey(long paymentId) {
        return "recredit:" + paymentId;
    }

    /** Our order number as providers carry it; compiled once, as every notification is checked against it. */
    private static final Pattern OUT_TRADE_NO = Pattern.compile("TH\\d{1,18}");

    static Optional<Long> idOf(String outTradeNo) {
        if (outTradeNo == null || !OUT_TRADE_NO.matcher(outTradeNo).matches()) {
            return Optional.empty();
        }
        return Optional.of(Long.parseLong(outTradeNo.substring(2)));
    }

    void event(long paymentId, Instant at, String step, String detail) {
        jdbc.sql("insert into payment_event (payment_id, at, step, detail) values (?, ?, ?, ?)")
                .params(paymentId, Timestamp.from(at), step, detail).update();
    }

    /** The payer hears the money arrived; the line's own holder too when someone else paid for it. */
    private void tellPaid(Payment p, Money balanceAfter) {
        accounts.subscriberLoginOf(p.payerCustomerId()).ifPresent(payer -> {
            Locale locale = payer.locale();
            String text = p.forOwnAccount()
                    ? messages.getMessage("payment.sms.credited-own", new Object[]{p.amount().display(), p.msisdn().masked(),
                            balanceAfter.display(), p.outTradeNo()}, locale)
                    : messages.getMessage("payment.sms.credited-other", new Object[]{p.amount().display(), p.msisdn().masked(), p.outTradeNo()}, locale);
            sms.send(payer.msisdn(), text, "payment");
        });
        if (!p.forOwnAccount()) {
            Locale locale = accounts.subscriberLoginOf(p.targetCustomerId()).map(Accounts.SubscriberLogin::locale).orElse(Locale.SIMPLIFIED_CHINESE);
            sms.send(p.msisdn().value(), messages.getMessage("payment.sms.received", new Object[]{p.amount().display(),
                    balanceAfter.display()}, locale), "payment");
        }
    }

    private void tellRefunded(Payment p) {
        accounts.subscriberLoginOf(p.payerCustomerId()).ifPresent(payer -> sms.send(payer.msisdn(),
                messages.getMessage("payment.sms.refunded", new Object[]{p.amount().display(), p.outTradeNo(),
                        messages.getMessage("payment.method." + p.method().name(), null, payer.locale())}, payer.locale()), "payment"));
    }

    private Optional<Payment> byKey(long payerUserId, String key) {
        return jdbc.sql("select * from payment_order where payer_user_id = ? and idempotency_key = ?").params(payerUserId, key)
                .query(Payments::row).optional().map(this::withTimeline);
    }

    private Payment withTimeline(Payment p) {
        List<Payment.Event> events = jdbc.sql("select at, step, detail from payment_event where payment_id = ? order by at, id").param(p.id())
                .query((rs, n) -> new Payment.Event(rs.getTimestamp("at").toInstant(), rs.getString("step"), rs.getString("detail"))).list();
        return new Payment(p.id(), p.payerCustomerId(), p.payerUserId(), p.targetCustomerId(), p.msisdn(), p.purpose(), p.reference(), p.method(),
                p.channel(), p.amount(), p.status(), p.providerTradeNo(), p.createdAt(), p.paidAt(), p.refundedAt(), p.refundReason(),
                p.balanceAfter(), events);
    }

    static Payment row(ResultSet rs, int n) throws SQLException {
        Long balance = (Long) rs.getObject("balance_after_fen");
        return new Payment(rs.getLong("id"), rs.getLong("payer_customer_id"), rs.getLong("payer_user_id"), rs.getLong("target_customer_id"),
                new Msisdn(rs.getString("msisdn")), rs.getString("purpose"), rs.getString("reference"),
                PaymentMethod.valueOf(rs.getString("method")), rs.getString("channel"), Money.ofFen(rs.getLong("amount_fen")),
                PaymentStatus.valueOf(rs.getString("status")), rs.getString("provider_trade_no"), instant(rs, "created_at"),
                instant(rs, "paid_at"), instant(rs, "refunded_at"), rs.getString("refund_reason"),
                balance == null ? null : Money.ofFen(balance), List.of());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
