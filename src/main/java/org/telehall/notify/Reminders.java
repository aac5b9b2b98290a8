package org.telehall.notify;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.telehall.catalog.Catalog;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.LineRestored;
import org.telehall.customer.LineSuspended;
import org.telehall.inventory.Inventory;
import org.telehall.ledger.Ledger;
import org.telehall.shared.DataVolume;
import org.telehall.shared.Msisdn;
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
    private final Customers customers;
    private final Inventory inventory;
    private final Catalog catalog;
    private final Ledger ledger;
    private final JdbcClient jdbc;
    private final Clock clock;
    /** Customers (for their cycle day) of lines past their allowance, read once rather than per batch. */
    private final Map<Long, Customer> cycleOf = new ConcurrentHashMap<>();

    Reminders(ReminderOutbox outbox, ReminderSettings settings, Customers customers, Inventory inventory, Catalog catalog,
              Ledger ledger, JdbcClient jdbc, Clock clock) {
        this.outbox = outbox;
        this.settings = settings;
        this.customers = customers;
        this.inventory = inventory;
        this.catalog = catalog;
        this.ledger = ledger;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Data: the customer's threshold (80 % unless changed), 100 %, then each further 100 % of the allowance. */
    @EventListener
    void dataUsed(UsageRated e) {
        long total = e.dataTotal();
        if (total <= 0) {
            return;
        }
        ReminderSettings.Settings s = settings.of(e.customerId());
        if (!s.on(ReminderKind.DATA)) {
            return;
        }
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
            r = reminder(e, "DATA_THRESHOLD", key, List.of(line, volume(e.dataAfter()), volume(total), Integer.toString(pct),
                    volume(total - e.dataAfter())), s, now);
        } else if (step == 100) {
            r = reminder(e, "DATA_USED_UP", key, List.of(line, volume(total), overageRate(e.lineId(), now)), s, now);
        } else {
            r = reminder(e, "DATA_BEYOND", key, List.of(line, Integer.toString(step), volume(total), volume(beyond),
                    overageRate(e.lineId(), now)), s, now);
        }
        outbox.raise(r);
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

    private ReminderOutbox.Reminder reminder(UsageRated e, String template, String key, List<String> args,
                                             ReminderSettings.Settings s, Instant now) {
        return new ReminderOutbox.Reminder(e.customerId(), e.lineId(), e.msisdn(), ReminderKind.DATA, template, key, args,
                s.smsDue(ReminderKind.DATA, now, Customer.ZONE));
    }

    private LocalDate cycleStart(long customerId) {
        if (cycleOf.size() > 100_000) {
            cycleOf.clear();
        }
        Customer c = cycleOf.computeIfAbsent(customerId, customers::get);
        return c.cycleStart(LocalDate.ofInstant(clock.instant(), Customer.ZONE));
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
