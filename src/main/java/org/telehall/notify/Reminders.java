package org.telehall.notify;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.telehall.catalog.Catalog;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.LineRestored;
import org.telehall.customer.LineSuspended;
import org.telehall.inventory.Inventory;
import org.telehall.ledger.AccountDebited;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.Money;
import org.telehall.shared.DataVolume;
import org.telehall.shared.Msisdn;
import org.telehall.usage.RoamingRates;
import org.telehall.usage.UsageRated;

/**
 * Turns what happens to a line or an account into reminders, each once per crossing.
 * <p>
 * The listeners are synchronous, inside the transaction that publishes the event: the reminder row
 * commits or rolls back with its cause, and its SMS goes out only after the commit
 * ({@link ReminderOutbox}). {@link UsageRated} comes once per line per rating batch, thousands a
 * second; an {@code @ApplicationModuleListener} would add an event-publication insert for each, so
 * this one decides from the event's figures and the in-memory settings alone and touches the
 * database only when a threshold is crossed (or, for a line already past its whole allowance, to
 * count the data beyond it).
 * <p>
 * Crossings are judged on cumulative figures (used before and after the batch), so records arriving
 * late or out of order change nothing; a record sent twice is rated once and so counted once; and
 * the crossing key (line, cycle, allowance, step) makes a second attempt at the same crossing a no-op.
 */
@Component
class Reminders {

    private final ReminderOutbox outbox;
    private final ReminderSettings settings;
    static final long ROAMING_STEP_MB = 20;
    static final long ABNORMAL_FACTOR = 5;
    static final java.time.Duration SPEND_REREAD = java.time.Duration.ofHours(1);
    private static final java.util.Set<String> FEES = java.util.Set.of(ReasonCodes.PLAN_FEE, ReasonCodes.PACK_FEE, ReasonCodes.SERVICE_FEE);
    private final Map<Long, Spend> spend = new ConcurrentHashMap<>();
    private final java.util.Set<Long> toCheck = ConcurrentHashMap.newKeySet();

    private final Customers customers;
    private final RoamingRates roamingRates;
    private final Inventory inventory;
    private final Catalog catalog;
    private final Ledger ledger;
    private final JdbcClient jdbc;
    private final Clock clock;
    /** Customers (for their cycle day) of lines past their allowance, read once rather than per batch. */
    private final Map<Long, Customer> cycleOf = new ConcurrentHashMap<>();

    Reminders(ReminderOutbox outbox, ReminderSettings settings, Customers customers, Inventory inventory, Catalog catalog,
              Ledger ledger, RoamingRates roamingRates, JdbcClient jdbc, Clock clock) {
        this.outbox = outbox;
        this.roamingRates = roamingRates;
        this.settings = settings;
        this.customers = customers;
        this.inventory = inventory;
        this.catalog = catalog;
        this.ledger = ledger;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Rating's lines of one transaction (rating publishes only these batches), judged one by one. */
    @EventListener
    void usageRated(UsageRated.Batch batch) {
        batch.lines().forEach(this::usageRated);
    }

    private void usageRated(UsageRated e) {
        ReminderSettings.Settings s = settings.of(e.customerId());
        if (e.dataTotal() > 0 && s.on(ReminderKind.DATA)) {
            dataUsed(e, s);
        }
        if (!e.roaming().isEmpty() && s.on(ReminderKind.ROAMING)) {
            e.roaming().forEach(r -> roaming(e, r, s));
        }
    }

    /** Data: the customer's threshold (80 % unless changed), 100 %, then each further 100 % of the allowance. */
    private void dataUsed(UsageRated e, ReminderSettings.Settings s) {
        long total = e.dataTotal();
        int step = 0;
        if (crossed(e.dataBefore(), e.dataAfter(), total, 100)) {
            step = 100;
        } else if (crossed(e.dataBefore(), e.dataAfter(), total, s.dataThresholdPct())) {
            step = s.dataThresholdPct();
        }
        LocalDate cycle = null;
        long beyond = 0;
        if (e.dataBeyond() > 0) {
            cycle = cycleStart(e.customerId());
            long after = jdbc.sql("""
                    insert into notify_data_beyond as b (line_id, cycle_start, kb) values (?, ?, ?)
                    on conflict (line_id, cycle_start) do update set kb = b.kb + excluded.kb returning kb
                    """).params(e.lineId(), cycle, e.dataBeyond()).query(Long.class).single();
            long before = after - e.dataBeyond();
            if (after / total > before / total) {
                step = (int) (100 * (1 + after / total));
                beyond = after;
            }
        }
        if (step == 0) {
            return;
        }
        if (cycle == null) {
            cycle = cycleStart(e.customerId());
        }
        String key = "data:" + e.lineId() + ":" + cycle + ":" + total + ":" + step;
        String line = Msisdn.maskNumber(e.msisdn());
        Instant now = clock.instant();
        ReminderOutbox.Reminder r;
        if (step < 100) {
            int pct = (int) Math.min(99, e.dataAfter() * 100 / total);
            r = reminder(e, ReminderKind.DATA, "DATA_THRESHOLD", key, List.of(line, volume(e.dataAfter()), volume(total), Integer.toString(pct),
                    volume(total - e.dataAfter())), s, now);
        } else if (step == 100) {
            r = reminder(e, ReminderKind.DATA, "DATA_USED_UP", key, List.of(line, volume(total), overageRate(e.lineId(), now)), s, now);
        } else {
            r = reminder(e, ReminderKind.DATA, "DATA_BEYOND", key, List.of(line, Integer.toString(step), volume(total), volume(beyond),
                    overageRate(e.lineId(), now)), s, now);
        }
        outbox.raise(r);
    }

    /**
     * Roaming: the first data in a country (line_roaming counts it from the first record there) brings
     * that country's prices; then a note at every further {@value #ROAMING_STEP_MB} MB used there.
     */
    private void roaming(UsageRated e, UsageRated.Roaming r, ReminderSettings.Settings s) {
        long step = ROAMING_STEP_MB * 1024;
        boolean arrived = r.kbBefore() == 0 && r.kbAfter() > 0;
        if (!arrived && r.kbAfter() / step <= r.kbBefore() / step) {
            return;
        }
        Instant now = clock.instant();
        RoamingRates.Rate rate = roamingRates.of(r.country());
        String line = Msisdn.maskNumber(e.msisdn());
        String country = Notifications.COUNTRY + r.country();
        if (arrived) {
            outbox.raise(reminder(e, ReminderKind.ROAMING, "ROAMING_ARRIVAL", "roam:" + e.lineId() + ":" + r.country(),
                    List.of(line, country, rate.dataPerMb().display(), rate.voicePerMinute().display(), rate.sms().display()), s, now));
        } else {
            long mb = r.kbAfter() / step * ROAMING_STEP_MB;
            outbox.raise(reminder(e, ReminderKind.ROAMING, "ROAMING_DATA", "roam:" + e.lineId() + ":" + r.country() + ":" + mb,
                    List.of(line, country, mb + " MB", rate.dataPerMb().display()), s, now));
        }
    }

    /**
     * Low balance: a charge took the balance from at or above the customer's threshold to below it.
     * Each such debit is a new crossing (the balance had to come back above it first); the ledger
     * publishes a debit once, a replayed business key publishes nothing.
     */
    @EventListener
    void debited(AccountDebited e) {
        ReminderSettings.Settings s = settings.of(e.customerId());
        lowBalance(e, s);
        if (FEES.contains(e.reasonCode()) && s.on(ReminderKind.FEE)) {
            fee(e, s);
        }
        if (s.on(ReminderKind.ABNORMAL_SPEND)) {
            abnormalSpend(e);
        }
    }

    private void lowBalance(AccountDebited e, ReminderSettings.Settings s) {
        if (s.lowBalance() == null || !s.on(ReminderKind.LOW_BALANCE)) {
            return;
        }
        long threshold = s.lowBalance().fen();
        long after = e.balanceAfter().fen();
        long before = after + e.amount().fen();
        if (before >= threshold && after < threshold) {
            outbox.raise(new ReminderOutbox.Reminder(e.customerId(), null, null, ReminderKind.LOW_BALANCE, "LOW_BALANCE",
                    "low-balance:" + e.customerId() + ":" + e.businessKey(),
                    List.of(e.balanceAfter().display(), s.lowBalance().display()),
                    s.smsDue(ReminderKind.LOW_BALANCE, clock.instant(), Customer.ZONE)));
        }
    }

    /**
     * A monthly fee, pack or service fee was deducted. When the customer ordered it a moment ago the
     * order's own SMS names the fee, so the entry is in the centre only; a deduction nobody asked for
     * just now (the monthly plan fee, a renewal) is also sent by SMS.
     */
    private void fee(AccountDebited e, ReminderSettings.Settings s) {
        boolean ordered = e.businessKey().startsWith("order:");
        Instant now = clock.instant();
        outbox.raise(new ReminderOutbox.Reminder(e.customerId(), null, null, ReminderKind.FEE, "FEE", "fee:" + e.businessKey(),
                List.of("#ledger.reason." + e.reasonCode(), e.amount().display(), e.balanceAfter().display()),
                ordered ? null : s.smsDue(ReminderKind.FEE, now, Customer.ZONE)));
    }

    /**
     * Spending this cycle above {@value #ABNORMAL_FACTOR}× the average of the three cycles before, told
     * once a cycle. Debits come on the rating path, so the listener only keeps an estimate in memory
     * (the last reading plus the debits this node saw since) and marks the customer for a check; the
     * ledger is read by {@link #checkSpending()}, off that path: once per customer per
     * {@link #SPEND_REREAD}, and when the estimate passes the line, to be exact.
     */
    private void abnormalSpend(AccountDebited e) {
        Spend known = spend.get(e.customerId());
        if (known == null) {
            toCheck.add(e.customerId());
            return;
        }
        Spend estimate = known.plus(e.amount().fen());
        spend.put(e.customerId(), estimate);
        if (known.readAt().plus(SPEND_REREAD).isBefore(clock.instant()) || !estimate.told() && estimate.over()) {
            toCheck.add(e.customerId());
        }
    }

    @Scheduled(fixedDelayString = "${telehall.notify.spend-check-ms:60000}", initialDelay = 60_000)
    void checkSpendingJob() {
        checkSpending();
    }

    /** Reads the marked customers' spending from the ledger and tells those above the line; how many were told. */
    int checkSpending() {
        int told = 0;
        for (Long customerId : List.copyOf(toCheck)) {
            toCheck.remove(customerId);
            ReminderSettings.Settings s = settings.of(customerId);
            if (!s.on(ReminderKind.ABNORMAL_SPEND)) {
                continue;
            }
            Instant now = clock.instant();
            LocalDate cycle = customer(customerId).cycleStart(LocalDate.ofInstant(now, Customer.ZONE));
            Instant start = cycle.atStartOfDay(Customer.ZONE).toInstant();
            Instant threeBefore = cycle.minusMonths(3).atStartOfDay(Customer.ZONE).toInstant();
            Spend read = new Spend(cycle, ledger.totalDebited(customerId, threeBefore, start).fen() / 3,
                    ledger.totalDebited(customerId, start, now.plusSeconds(1)).fen(), now, false);
            if (read.over()) {
                outbox.raise(new ReminderOutbox.Reminder(customerId, null, null, ReminderKind.ABNORMAL_SPEND, "ABNORMAL_SPEND",
                        "abnormal:" + customerId + ":" + cycle,
                        List.of(Money.ofFen(read.spentFen()).display(), Money.ofFen(read.averageFen()).display(),
                                Long.toString(read.spentFen() / read.averageFen())),
                        s.smsDue(ReminderKind.ABNORMAL_SPEND, now, Customer.ZONE)));
                read = new Spend(cycle, read.averageFen(), read.spentFen(), now, true);
                told++;
            }
            if (spend.size() > 200_000) {
                spend.clear();
            }
            spend.put(customerId, read);
        }
        return told;
    }

    /** What this node knows of a customer's spending in a cycle; {@code told}: the alert is out. */
    record Spend(LocalDate cycle, long averageFen, long spentFen, Instant readAt, boolean told) {
        boolean over() {
            return averageFen > 0 && spentFen > ABNORMAL_FACTOR * averageFen;
        }

        Spend plus(long fen) {
            return new Spend(cycle, averageFen, spentFen + fen, readAt, told);
        }
    }

    /** Suspension (停机) notices go out at once, quiet hours or not. */
    @EventListener
    void suspended(LineSuspended e) {
        boolean arrears = "ARREARS".equals(e.reason());
        outbox.raise(new ReminderOutbox.Reminder(e.customerId(), e.lineId(), e.msisdn(), ReminderKind.SERVICE,
                arrears ? "SUSPENDED_ARREARS" : "SUSPENDED", "suspended:" + e.lineId() + ":" + e.at().toEpochMilli(),
                arrears ? List.of(Msisdn.maskNumber(e.msisdn()), ledger.balanceOf(e.customerId()).display())
                        : List.of(Msisdn.maskNumber(e.msisdn())),
                clock.instant()));
    }

    @EventListener
    void restored(LineRestored e) {
        outbox.raise(new ReminderOutbox.Reminder(e.customerId(), e.lineId(), e.msisdn(), ReminderKind.SERVICE, "RESTORED",
                "restored:" + e.lineId() + ":" + e.at().toEpochMilli(),
                List.of(Msisdn.maskNumber(e.msisdn()), ledger.balanceOf(e.customerId()).display()), clock.instant()));
    }

    /** Did usage go from below {@code pct} % of {@code total} to at or above it? Exact in whole KB, no rounding. */
    static boolean crossed(long before, long after, long total, int pct) {
        long line = total * pct;
        return before * 100 < line && after * 100 >= line;
    }

    private ReminderOutbox.Reminder reminder(UsageRated e, ReminderKind kind, String template, String key, List<String> args,
                                             ReminderSettings.Settings s, Instant now) {
        return new ReminderOutbox.Reminder(e.customerId(), e.lineId(), e.msisdn(), kind, template, key, args,
                s.smsDue(kind, now, Customer.ZONE));
    }

    private LocalDate cycleStart(long customerId) {
        return customer(customerId).cycleStart(LocalDate.ofInstant(clock.instant(), Customer.ZONE));
    }

    private Customer customer(long customerId) {
        if (cycleOf.size() > 100_000) {
            cycleOf.clear();
        }
        return cycleOf.computeIfAbsent(customerId, customers::get);
    }

    /** "¥0.29" a MB beyond the allowance, from the line's plan as priced now. */
    private String overageRate(long lineId, Instant now) {
        return inventory.planOf(lineId, now).flatMap(p -> catalog.find(p.offeringId()))
                .map(o -> o.price().dataOveragePerMb().display()).orElse("—");
    }

    private static String volume(long kb) {
        return kb >= 1024 * 1024 ? new DataVolume(kb).display() : new DataVolume(kb).mb().stripTrailingZeros().toPlainString() + " MB";
    }
}
