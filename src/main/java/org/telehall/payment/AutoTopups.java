package org.telehall.payment;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.customer.LineStatus;
import org.telehall.identity.Accounts;
import org.telehall.ledger.AccountCredited;
import org.telehall.ledger.AccountDebited;
import org.telehall.notify.Sms;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;

/**
 * Auto top-up (自动充值): when an account's balance drops below X, top up Y from a withholding
 * agreement with a provider, at most N times a calendar month (Beijing time).
 *
 * <p>The trigger is the ledger's {@link AccountDebited}, heard inside the debit's own transaction:
 * the rule is disarmed and the month's n-th run recorded there, so the crossing and its run commit
 * or roll back with the debit, and a replayed debit (which publishes nothing) or a second debit
 * below the threshold makes no second run. A credit that lifts the balance back to X or above arms
 * the rule again — once per crossing. After the commit the run is carried out off the debiting
 * thread: a payment order with the idempotency key {@code auto:<rule>:<month>:<n>} and a withholding
 * at the provider, whose signed notification credits it like any payment (or the order query, or
 * reconciliation, if the notification is lost). A run left DUE by a crash is picked up by
 * {@link #processDue()}; every step of it can be repeated without paying twice.
 *
 * <p>Debits are the rating hot path, so customers without a rule are passed over in memory: the set
 * of customers with an active rule is read at start, kept up to date by this node's changes and
 * re-read every {@code telehall.payments.auto.refresh-every} (30 s) for rules made on other nodes.
 */
@Service
public class AutoTopups implements DisposableBean {

    public static final Money MIN_THRESHOLD = Money.ofYuan(1);
    public static final Money MAX_THRESHOLD = Money.ofYuan(500);
    public static final Money MIN_AMOUNT = Money.ofYuan(10);
    public static final Money MAX_AMOUNT = Money.ofYuan(500);
    public static final int MAX_TIMES = 10;
    private static final Logger log = LoggerFactory.getLogger(AutoTopups.class);

    /** A customer's rule; {@code armed} false while the balance has not come back above the threshold since it last fired. */
    public record Rule(long id, long customerId, long userId, Msisdn msisdn, Money threshold, Money amount, int maxPerMonth, PaymentMethod method,
                       String agreementNo, boolean active, boolean armed, Instant updatedAt) {
    }

    /** One top-up a rule fired: DUE (to be sent), SENT (payment made and collected; see its payment), REFUSED or SKIPPED. */
    public record Run(long ruleId, String month, int n, Money balance, String status, Long paymentId, String detail, Instant at) {
    }

    /** An active rule with what it has done: the top-ups it has fired this month, and its latest runs, newest first. */
    public record Overview(Rule rule, int firedThisMonth, List<Run> lastRuns) {
    }

    /** What the customer asked for. */
    public record Setup(long customerId, long userId, String msisdn, Money threshold, Money amount, int maxPerMonth, PaymentMethod method) {
    }

    private final JdbcClient jdbc;
    private final Payments payments;
    private final Customers customers;
    private final Accounts accounts;
    private final Sms sms;
    private final MessageSource messages;
    private final Clock clock;
    private volatile Set<Long> withRules = ConcurrentHashMap.newKeySet();
    private final ExecutorService worker = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "auto-topup");
        t.setDaemon(true);
        return t;
    });

    AutoTopups(JdbcClient jdbc, Payments payments, Customers customers, Accounts accounts, Sms sms, MessageSource messages,
               Clock clock) {
        this.jdbc = jdbc;
        this.payments = payments;
        this.customers = customers;
        this.accounts = accounts;
        this.sms = sms;
        this.messages = messages;
        this.clock = clock;
        refreshRuleHolders();
    }

    /**
     * Starts or changes the customer's rule (one per account). A new method signs a new withholding
     * agreement (and ends the old one). The rule starts armed; its count of the month goes on.
     */
    @Transactional
    public Rule save(Setup s) {
        if (s.threshold() == null || s.threshold().compareTo(MIN_THRESHOLD) < 0 || s.threshold().compareTo(MAX_THRESHOLD) > 0) {
            throw new BusinessRuleException("auto.threshold-out-of-range", "threshold out of range", MIN_THRESHOLD.display(), MAX_THRESHOLD.display());
        }
        if (s.amount() == null || s.amount().compareTo(MIN_AMOUNT) < 0 || s.amount().compareTo(MAX_AMOUNT) > 0) {
            throw new BusinessRuleException("auto.amount-out-of-range", "amount out of range", MIN_AMOUNT.display(), MAX_AMOUNT.display());
        }
        if (s.maxPerMonth() < 1 || s.maxPerMonth() > MAX_TIMES) {
            throw new BusinessRuleException("auto.times-out-of-range", "times out of range", MAX_TIMES);
        }
        String number = s.msisdn() == null ? "" : s.msisdn().replaceAll("[\\s-]", "");
        Line line = customers.linesOf(s.customerId()).stream().filter(l -> l.msisdn().value().equals(number) && l.status() != LineStatus.STOPPED)
                .findFirst().orElseThrow(() -> new BusinessRuleException("auto.not-own-line", "auto top-up is for the customer's own lines"));
        PaymentProvider provider = payments.provider(s.method());
        Instant now = clock.instant();
        Optional<Rule> existing = jdbc.sql("select * from auto_topup_rule where customer_id = ? for update").param(s.customerId())
                .query(AutoTopups::rule).optional();
        String agreement;
        if (existing.isPresent() && existing.get().active() && existing.get().method() == s.method()) {
            agreement = existing.get().agreementNo();
        } else {
            existing.filter(Rule::active).ifPresent(old -> payments.provider(old.method()).unsignAgreement(old.agreementNo()));
            agreement = provider.signAgreement("TH-C" + s.customerId()).agreementNo();
        }
        jdbc.sql("""
                insert into auto_topup_rule (customer_id, user_id, msisdn, threshold_fen, amount_fen, max_per_month, method, agreement_no,
                                             active, armed, created_at, updated_at)
                values (?, ?, ?, ?, ?, ?, ?, ?, true, true, ?, ?)
                on conflict (customer_id) do update set user_id = excluded.user_id, msisdn = excluded.msisdn, threshold_fen = excluded.threshold_fen,
                    amount_fen = excluded.amount_fen, max_per_month = excluded.max_per_month, method = excluded.method,
                    agreement_no = excluded.agreement_no, active = true, armed = true, updated_at = excluded.updated_at
                """).params(s.customerId(), s.userId(), line.msisdn().value(), s.threshold().fen(), s.amount().fen(), s.maxPerMonth(),
                        s.method().name(), agreement, Timestamp.from(now), Timestamp.from(now)).update();
        withRules.add(s.customerId());
        return ruleOf(s.customerId()).orElseThrow();
    }

    /** Stops the rule and ends its withholding agreement. */
    @Transactional
    public void cancel(long customerId) {
        jdbc.sql("select * from auto_topup_rule where customer_id = ? and active for update").param(customerId).query(AutoTopups::rule).optional()
                .ifPresent(r -> {
                    payments.provider(r.method()).unsignAgreement(r.agreementNo());
                    jdbc.sql("update auto_topup_rule set active = false, updated_at = ? where id = ?").params(Timestamp.from(clock.instant()), r.id())
                            .update();
                });
        withRules.remove(customerId);
    }

    public Optional<Rule> ruleOf(long customerId) {
        return jdbc.sql("select * from auto_topup_rule where customer_id = ?").param(customerId).query(AutoTopups::rule).optional();
    }

    /** The customer's active rule and what it has done; empty when there is none (never set up, or cancelled). */
    public Optional<Overview> overviewOf(long customerId, int lastRuns) {
        return ruleOf(customerId).filter(Rule::active)
                .map(rule -> new Overview(rule, firedIn(rule.id(), thisMonth()), runsOf(customerId, lastRuns)));
    }

    /** The rule's runs, newest first. */
    public List<Run> runsOf(long customerId, int limit) {
        return jdbc.sql("""
                select r.* from auto_topup_run r join auto_topup_rule a on a.id = r.rule_id
                 where a.customer_id = ? order by r.created_at desc, r.n desc limit ?
                """).params(customerId, limit).query(AutoTopups::run).list();
    }

    /** How many top-ups the rule has fired in the month. */
    public int firedIn(long ruleId, YearMonth month) {
        return jdbc.sql("select count(*) from auto_topup_run where rule_id = ? and month = ?").params(ruleId, month.toString())
                .query(Integer.class).single();
    }

    public YearMonth thisMonth() {
        return YearMonth.from(clock.instant().atZone(Customer.ZONE));
    }

    /** In the debit's transaction: a crossing below the threshold disarms the rule and records the month's next run, if any is left. */
    @EventListener
    void debited(AccountDebited debit) {
        if (!withRules.contains(debit.customerId())) {
            return;
        }
        Optional<Rule> crossed = jdbc.sql("""
                update auto_topup_rule set armed = false, updated_at = ?
                 where customer_id = ? and active and armed and threshold_fen > ? returning *
                """).params(Timestamp.from(clock.instant()), debit.customerId(), debit.balanceAfter().fen()).query(AutoTopups::rule).optional();
        if (crossed.isEmpty()) {
            return;
        }
        Rule rule = crossed.get();
        // the month it fires in (the debit's own time may be a late usage record's)
        String month = thisMonth().toString();
        Optional<Integer> n = jdbc.sql("""
                insert into auto_topup_run (rule_id, month, n, trigger_key, balance_fen, status, created_at)
                select ?, ?, count(*) + 1, ?, ?, 'DUE', ? from auto_topup_run where rule_id = ? and month = ?
                having count(*) < ?
                on conflict do nothing returning n
                """).params(rule.id(), month, debit.businessKey(), debit.balanceAfter().fen(), Timestamp.from(clock.instant()), rule.id(), month,
                        rule.maxPerMonth()).query(Integer.class).optional();
        if (n.isEmpty()) {
            log.info("auto top-up rule {} crossed below its threshold but has fired {} times in {} already", rule.id(), rule.maxPerMonth(), month);
            return;
        }
        long ruleId = rule.id();
        int nth = n.get();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    handOver(ruleId, month, nth);
                }
            });
        } else {
            handOver(ruleId, month, nth);
        }
    }

    /** To the worker; never an exception back to the debit's caller, whose money has moved (a refused hand-over is swept later). */
    private void handOver(long ruleId, String month, int n) {
        try {
            worker.execute(() -> process(ruleId, month, n));
        } catch (RuntimeException e) {
            log.info("auto top-up run {}/{}/{} left for the sweep: {}", ruleId, month, n, e.toString());
        }
    }

    /** A credit that brings the balance back to the threshold or above arms the rule for the next crossing. */
    @EventListener
    void credited(AccountCredited credit) {
        if (!withRules.contains(credit.customerId())) {
            return;
        }
        jdbc.sql("update auto_topup_rule set armed = true, updated_at = ? where customer_id = ? and active and not armed and threshold_fen <= ?")
                .params(Timestamp.from(clock.instant()), credit.customerId(), credit.balanceAfter().fen()).update();
    }

    /** Runs still DUE (their worker was stopped before it finished, e.g. by a crash): carried out now. Returns how many were looked at. */
    @Scheduled(fixedDelayString = "${telehall.payments.auto.every:30s}", initialDelayString = "${telehall.payments.auto.every:30s}")
    public int processDue() {
        List<Run> due = jdbc.sql("select * from auto_topup_run where status = 'DUE' order by created_at limit 200").query(AutoTopups::run).list();
        for (Run run : due) {
            process(run.ruleId(), run.month(), run.n());
        }
        return due.size();
    }

    /**
     * Carries out one run: the payment order (the same one however often this is repeated) and the
     * withholding (which collects once per order). Its notification then credits the account.
     */
    void process(long ruleId, String month, int n) {
        try {
            Optional<Run> run = jdbc.sql("select * from auto_topup_run where rule_id = ? and month = ? and n = ?").params(ruleId, month, n)
                    .query(AutoTopups::run).optional();
            if (run.isEmpty() || !"DUE".equals(run.get().status())) {
                return;
            }
            Rule rule = jdbc.sql("select * from auto_topup_rule where id = ?").param(ruleId).query(AutoTopups::rule).single();
            if (!rule.active()) {
                finish(ruleId, month, n, "SKIPPED", null, "rule cancelled");
                return;
            }
            Payments.Created created;
            try {
                created = payments.createTopup(new Payments.TopupRequest(rule.customerId(), rule.userId(), rule.msisdn().value(), rule.amount(),
                        rule.method(), "AUTO", key(ruleId, month, n)));
            } catch (BusinessRuleException e) {
                finish(ruleId, month, n, "REFUSED", null, e.code());
                tellRefused(rule);
                return;
            }
            Payment p = created.payment();
            if (p.status() == PaymentStatus.PENDING) {
                PaymentProvider.Withholding w = payments.provider(rule.method()).withhold(rule.agreementNo(), p.outTradeNo(), p.amount());
                if (!w.accepted()) {
                    payments.event(p.id(), clock.instant(), "WITHHOLD_REFUSED", w.reason());
                    payments.closeUnpaid(p.id());
                    finish(ruleId, month, n, "REFUSED", p.id(), w.reason());
                    tellRefused(rule);
                    return;
                }
                payments.event(p.id(), clock.instant(), "WITHHELD", rule.method().slug());
            }
            finish(ruleId, month, n, "SENT", p.id(), null);
        } catch (RuntimeException e) {
            // left DUE: processDue tries again
            log.warn("auto top-up run {}/{}/{} failed; tried again later", ruleId, month, n, e);
        }
    }

    static String key(long ruleId, String month, int n) {
        return "auto:" + ruleId + ":" + month + ":" + n;
    }

    private void finish(long ruleId, String month, int n, String status, Long paymentId, String detail) {
        jdbc.sql("update auto_topup_run set status = ?, payment_id = coalesce(?, payment_id), detail = ? where rule_id = ? and month = ? and n = ? and status = 'DUE'")
                .params(status, paymentId, detail, ruleId, month, n).update();
    }

    private void tellRefused(Rule rule) {
        accounts.subscriberLoginOf(rule.customerId()).ifPresent(login -> sms.send(login.msisdn(),
                messages.getMessage("auto.sms.refused", new Object[]{rule.amount().display(), rule.msisdn().masked(),
                        messages.getMessage("payment.method." + rule.method().name(), null, login.locale())}, login.locale()), "payment"));
    }

    /** Re-reads which customers have an active rule (rules made on other nodes). */
    @Scheduled(fixedDelayString = "${telehall.payments.auto.refresh-every:30s}")
    void refreshRuleHolders() {
        Set<Long> fresh = ConcurrentHashMap.newKeySet();
        fresh.addAll(jdbc.sql("select customer_id from auto_topup_rule where active").query(Long.class).list());
        withRules = fresh;
    }

    @Override
    public void destroy() {
        worker.shutdownNow();
    }

    private static Rule rule(ResultSet rs, int n) throws SQLException {
        return new Rule(rs.getLong("id"), rs.getLong("customer_id"), rs.getLong("user_id"), new Msisdn(rs.getString("msisdn")),
                Money.ofFen(rs.getLong("threshold_fen")), Money.ofFen(rs.getLong("amount_fen")), rs.getInt("max_per_month"),
                PaymentMethod.valueOf(rs.getString("method")), rs.getString("agreement_no"), rs.getBoolean("active"), rs.getBoolean("armed"),
                rs.getTimestamp("updated_at").toInstant());
    }

    private static Run run(ResultSet rs, int n) throws SQLException {
        Long paymentId = (Long) rs.getObject("payment_id");
        return new Run(rs.getLong("rule_id"), rs.getString("month"), rs.getInt("n"), Money.ofFen(rs.getLong("balance_fen")), rs.getString("status"),
                paymentId, rs.getString("detail"), rs.getTimestamp("created_at").toInstant());
    }
}
