package org.telehall.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.identity.Audit;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.ledger.UsageCharge;
import org.telehall.payment.PaymentProvider.SettlementFile;
import org.telehall.payment.PaymentProvider.SettlementLine;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;

/**
 * The daily reconciliation: each provider's settlement file for a day against our payment orders and
 * the ledger's journal (by business key, not by our status columns). Every mismatch is written down
 * with what was done about it, in the same transaction as the fix, and in the audit trail:
 * <ul>
 * <li>{@code PAID_NOT_CREDITED} — the provider took the money, the journal has no credit: credited once
 *     (the same settlement as a notification, business key {@code payment:<id>});</li>
 * <li>{@code CREDITED_NOT_PAID} — the journal has a credit, the provider has no payment in its file
 *     and says so when asked (so not a payment across midnight): reversed through the journal under
 *     {@code reversal:<id>}, the order marked failed, the payer told; if the account no longer holds
 *     it, as much as its balance and credit allow is taken and the rest listed as outstanding;</li>
 * <li>{@code REFUNDED_NOT_REVERSED} — the provider gave the money back, the journal never took it back
 *     (we stopped between the two): reversed under {@code refund:<id>}, the order marked refunded;</li>
 * <li>{@code REVERSED_NOT_REFUNDED} — we took it back, the provider has no refund: asked again under
 *     the same refund number (idempotent there);</li>
 * <li>{@code AMOUNT_MISMATCH}, {@code UNKNOWN_ORDER} — listed for staff; nothing is moved.</li>
 * </ul>
 * Running it again finds nothing new to fix: every fix is keyed, and done under the order's row lock.
 */
@Service
public class Reconciliation {

    public record Run(long id, LocalDate day, PaymentMethod provider, String status, Instant startedAt, Instant finishedAt,
                      String triggeredBy, String fileName, String fileSha256, int providerLines, int matched, int mismatches,
                      int fixed, String error) {
    }

    public record Mismatch(long id, long runId, Long paymentId, String outTradeNo, String kind, Money providerAmount, Money ourAmount,
                           String fix, boolean fixed, Money outstanding, String detail, Instant at) {
    }

    public static final String ACTOR = "reconciliation";
    private static final Logger log = LoggerFactory.getLogger(Reconciliation.class);

    private final JdbcClient jdbc;
    private final Payments payments;
    private final Ledger ledger;
    private final Audit audit;
    private final Clock clock;
    private final TransactionTemplate tx;

    Reconciliation(JdbcClient jdbc, Payments payments, Ledger ledger, Audit audit, Clock clock, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.payments = payments;
        this.ledger = ledger;
        this.audit = audit;
        this.clock = clock;
        this.tx = tx;
    }

    /** Today in Beijing time, the settlement files' calendar. */
    public LocalDate today() {
        return clock.instant().atZone(PaymentProvider.SETTLEMENT_ZONE).toLocalDate();
    }

    /** Reconciles the day with every provider; a provider whose run fails is recorded failed and the others go on. */
    public List<Run> reconcile(LocalDate day, String triggeredBy) {
        List<Run> runs = new ArrayList<>();
        for (PaymentMethod method : PaymentMethod.values()) {
            try {
                runs.add(reconcile(day, method, triggeredBy));
            } catch (BusinessRuleException e) {
                log.info("reconciliation of {} {} not started: {}", method, day, e.getMessage());
            }
        }
        return runs;
    }

    /** Reconciles one provider's day. Refused while another run of the same day and provider is under way. */
    public Run reconcile(LocalDate day, PaymentMethod method, String triggeredBy) {
        if (day.isAfter(today())) {
            throw new BusinessRuleException("recon.future-day", "no settlement for a day to come: " + day);
        }
        PaymentProvider provider = payments.provider(method);
        long runId = start(day, method, triggeredBy);
        try {
            Counts counts = compare(runId, day, method, provider);
            jdbc.sql("""
                    update payment_recon_run set status = 'DONE', finished_at = ?, file_name = ?, file_sha256 = ?, provider_lines = ?,
                           matched = ?, mismatches = ?, fixed = ? where id = ?
                    """).params(Timestamp.from(clock.instant()), counts.file.name(), counts.file.sha256(), counts.file.lines().size(),
                    counts.matched, counts.mismatches, counts.fixed, runId).update();
        } catch (RuntimeException e) {
            log.warn("reconciliation of {} {} failed", method, day, e);
            jdbc.sql("update payment_recon_run set status = 'FAILED', finished_at = ?, error = ? where id = ?")
                    .params(Timestamp.from(clock.instant()), String.valueOf(e.getMessage()).substring(0, Math.min(300,
                            String.valueOf(e.getMessage()).length())), runId).update();
        }
        return run(runId).orElseThrow();
    }

    private long start(LocalDate day, PaymentMethod method, String triggeredBy) {
        Instant now = clock.instant();
        // a run a stopped node left behind does not block the day for ever
        jdbc.sql("update payment_recon_run set status = 'FAILED', finished_at = ?, error = 'abandoned' where status = 'RUNNING' and started_at < ?")
                .params(Timestamp.from(now), Timestamp.from(now.minusSeconds(1800))).update();
        try {
            return jdbc.sql("""
                    insert into payment_recon_run (day, provider, status, started_at, triggered_by) values (?, ?, 'RUNNING', ?, ?) returning id
                    """).params(day, method.name(), Timestamp.from(now), triggeredBy).query(Long.class).single();
        } catch (DuplicateKeyException e) {
            throw new BusinessRuleException("recon.running", "a reconciliation of " + method + " " + day + " is under way");
        }
    }

    private static final class Counts {
        SettlementFile file;
        int matched;
        int mismatches;
        int fixed;
    }

    private Counts compare(long runId, LocalDate day, PaymentMethod method, PaymentProvider provider) {
        Counts counts = new Counts();
        SettlementFile file = provider.settlementFile(day);
        counts.file = file;
        Instant from = day.atStartOfDay(PaymentProvider.SETTLEMENT_ZONE).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(PaymentProvider.SETTLEMENT_ZONE).toInstant();

        // our side: the orders the file names, and the orders we settled or refunded that day
        Map<Long, Payment> ours = new HashMap<>();
        Set<Long> named = new HashSet<>();
        for (SettlementLine line : file.lines()) {
            Payments.idOf(line.outTradeNo()).ifPresent(named::add);
        }
        if (!named.isEmpty()) {
            jdbc.sql("select * from payment_order where id = any(?) and method = ?").params(named.toArray(new Long[0]), method.name())
                    .query(Payments::row).list().forEach(p -> ours.put(p.id(), p));
        }
        jdbc.sql("""
                select * from payment_order where method = :m and ((paid_at >= :from and paid_at < :to) or (refunded_at >= :from and refunded_at < :to))
                """).param("m", method.name()).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query(Payments::row).list().forEach(p -> ours.put(p.id(), p));
        List<String> keys = new ArrayList<>();
        ours.keySet().forEach(id -> {
            keys.add(Payments.creditKey(id));
            keys.add(Payments.refundKey(id));
            keys.add(Payments.reversalKey(id));
            keys.add(Payments.recreditKey(id));
        });
        Set<String> posted = ledger.postedKeys(keys);

        Set<Long> paidInFile = new HashSet<>();
        Set<Long> refundedInFile = new HashSet<>();
        for (SettlementLine line : file.lines()) {
            Optional<Long> id = Payments.idOf(line.outTradeNo());
            Payment p = id.map(ours::get).orElse(null);
            if (p == null) {
                record(counts, runId, null, line.outTradeNo(), "UNKNOWN_ORDER", line.amount(), null, "NONE", false, Money.ZERO,
                        line.type() + " " + line.tradeNo());
                continue;
            }
            if (!p.amount().equals(line.amount())) {
                record(counts, runId, p.id(), line.outTradeNo(), "AMOUNT_MISMATCH", line.amount(), p.amount(), "NONE", false, Money.ZERO,
                        line.type() + " " + line.tradeNo());
                continue;
            }
            if (line.type() == SettlementLine.Type.PAYMENT) {
                paidInFile.add(p.id());
                if (credited(posted, p.id())) {
                    counts.matched++;
                } else {
                    creditMissing(counts, runId, method, p, line);
                }
            } else {
                refundedInFile.add(p.id());
                if (posted.contains(Payments.refundKey(p.id()))) {
                    counts.matched++;
                } else {
                    reverseRefund(counts, runId, p, line);
                }
            }
        }
        for (Payment p : ours.values()) {
            boolean paidThatDay = p.paidAt() != null && !p.paidAt().isBefore(from) && p.paidAt().isBefore(to);
            if (paidThatDay && !paidInFile.contains(p.id()) && p.status() == PaymentStatus.PAID && credited(posted, p.id())) {
                Optional<PaymentProvider.TradeStatus> there = provider.query(p.outTradeNo());
                // settled by us just after midnight for a payment of the day before, or the other way round: the provider has it
                boolean providerHasIt = there.isPresent() && (there.get().paid() || p.status() == PaymentStatus.REFUNDED);
                if (!providerHasIt) {
                    reverseCredit(counts, runId, p);
                }
            }
            boolean refundedThatDay = p.refundedAt() != null && !p.refundedAt().isBefore(from) && p.refundedAt().isBefore(to);
            if (refundedThatDay && !refundedInFile.contains(p.id()) && posted.contains(Payments.refundKey(p.id()))) {
                resendRefund(counts, runId, provider, p);
            }
        }
        return counts;
    }

    /** Whether the journal holds the payment's credit now: credited, and not reversed unless credited again. */
    private static boolean credited(Set<String> posted, long id) {
        return posted.contains(Payments.creditKey(id))
                && (!posted.contains(Payments.reversalKey(id)) || posted.contains(Payments.recreditKey(id)));
    }

    private void creditMissing(Counts counts, long runId, PaymentMethod method, Payment p, SettlementLine line) {
        tx.executeWithoutResult(status -> {
            Payments.Settlement result = payments.settleFromReconciliation(method, p.id(), line.tradeNo(), line.amount());
            if (result == Payments.Settlement.CREDITED) {
                record(counts, runId, p.id(), line.outTradeNo(), "PAID_NOT_CREDITED", line.amount(), p.amount(), "CREDITED", true, Money.ZERO,
                        "trade " + line.tradeNo() + ", was " + p.status());
            } else {
                // credited meanwhile by a notification or the order query
                counts.matched++;
            }
        });
    }

    private void reverseCredit(Counts counts, long runId, Payment p) {
        tx.executeWithoutResult(status -> payments.reverseUnpaid(p.id()).ifPresent(taken -> {
            Money outstanding = p.amount().minus(taken.charged());
            record(counts, runId, p.id(), p.outTradeNo(), "CREDITED_NOT_PAID", null, p.amount(), outstanding.isPositive() ? "REVERSED_PART" : "REVERSED",
                    !outstanding.isPositive(), outstanding, "no payment at the provider");
        }));
    }

    private void reverseRefund(Counts counts, long runId, Payment p, SettlementLine line) {
        tx.executeWithoutResult(status -> payments.reverseRefunded(p.id(), line.refundNo(), line.at()).ifPresent(taken -> {
            Money outstanding = p.amount().minus(taken.charged());
            record(counts, runId, p.id(), line.outTradeNo(), "REFUNDED_NOT_REVERSED", line.amount(), p.amount(),
                    outstanding.isPositive() ? "REVERSED_PART" : "REVERSED", !outstanding.isPositive(), outstanding, "refund " + line.refundNo());
        }));
    }

    private void resendRefund(Counts counts, long runId, PaymentProvider provider, Payment p) {
        Optional<PaymentProvider.TradeStatus> there = provider.query(p.outTradeNo());
        PaymentProvider.Refund refund = provider.refund(p.outTradeNo(), "RF" + p.id(), p.amount());
        if (refund.refunded() && there.isPresent() && there.get().paid()) {
            // the file was cut before the refund landed, or it landed only now: either way it is done
            tx.executeWithoutResult(status -> record(counts, runId, p.id(), p.outTradeNo(), "REVERSED_NOT_REFUNDED", null, p.amount(),
                    "REFUND_SENT", true, Money.ZERO, "refund RF" + p.id() + " sent again"));
        } else if (!refund.refunded()) {
            tx.executeWithoutResult(status -> record(counts, runId, p.id(), p.outTradeNo(), "REVERSED_NOT_REFUNDED", null, p.amount(), "NONE",
                    false, Money.ZERO, "provider: " + refund.reason()));
        } else {
            counts.matched++;
        }
    }

    private void record(Counts counts, long runId, Long paymentId, String outTradeNo, String kind, Money providerAmount, Money ourAmount,
                        String fix, boolean fixed, Money outstanding, String detail) {
        jdbc.sql("""
                insert into payment_recon_mismatch (run_id, payment_id, out_trade_no, kind, provider_amount_fen, our_amount_fen, fix, fixed,
                                                    outstanding_fen, detail, at)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(runId, paymentId, outTradeNo, kind, providerAmount == null ? null : providerAmount.fen(),
                ourAmount == null ? null : ourAmount.fen(), fix, fixed, outstanding.fen(), detail, Timestamp.from(clock.instant())).update();
        audit.record(ACTOR, "payment.recon." + kind.toLowerCase(java.util.Locale.ROOT), paymentId == null ? outTradeNo : "payment:" + paymentId,
                fix + (outstanding.isPositive() ? " outstanding " + outstanding.display() : "") + " · run " + runId + " · " + detail);
        counts.mismatches++;
        if (fixed) {
            counts.fixed++;
        }
    }

    public List<Run> recentRuns(int limit) {
        return jdbc.sql("select * from payment_recon_run order by started_at desc, id desc limit ?").param(limit).query(Reconciliation::run).list();
    }

    public Optional<Run> run(long id) {
        return jdbc.sql("select * from payment_recon_run where id = ?").param(id).query(Reconciliation::run).optional();
    }

    public List<Mismatch> mismatchesOf(long runId) {
        return jdbc.sql("select * from payment_recon_mismatch where run_id = ? order by id").param(runId).query(Reconciliation::mismatch).list();
    }

    /** Every mismatch ever found for a payment, oldest first (its audit trail in reconciliation). */
    public List<Mismatch> mismatchesOfPayment(long paymentId) {
        return jdbc.sql("select * from payment_recon_mismatch where payment_id = ? order by id").param(paymentId)
                .query(Reconciliation::mismatch).list();
    }

    private static Run run(ResultSet rs, int n) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new Run(rs.getLong("id"), rs.getObject("day", LocalDate.class), PaymentMethod.valueOf(rs.getString("provider")),
                rs.getString("status"), rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                rs.getString("triggered_by"), rs.getString("file_name"), rs.getString("file_sha256"), rs.getInt("provider_lines"),
                rs.getInt("matched"), rs.getInt("mismatches"), rs.getInt("fixed"), rs.getString("error"));
    }

    private static Mismatch mismatch(ResultSet rs, int n) throws SQLException {
        Long provider = (Long) rs.getObject("provider_amount_fen");
        Long our = (Long) rs.getObject("our_amount_fen");
        return new Mismatch(rs.getLong("id"), rs.getLong("run_id"), (Long) rs.getObject("payment_id"), rs.getString("out_trade_no"),
                rs.getString("kind"), provider == null ? null : Money.ofFen(provider), our == null ? null : Money.ofFen(our), rs.getString("fix"),
                rs.getBoolean("fixed"), Money.ofFen(rs.getLong("outstanding_fen")), rs.getString("detail"), rs.getTimestamp("at").toInstant());
    }
}
