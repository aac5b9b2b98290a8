package org.telehall.notify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.telehall.catalog.Catalog;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.ledger.Ledger;
import org.telehall.shared.DataVolume;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;
import org.telehall.usage.Allowance;
import org.telehall.usage.Allowances;
import org.telehall.usage.UsageType;

/**
 * Reminders that come from the calendar, not from an event: auto-renewals a few days ahead (daily)
 * and the usage summary on the 1st and 15th. Each runs on one node (ShedLock), a page of rows at a
 * time; the crossing key makes a rerun, or a second node after a crash part-way, send nothing twice.
 */
@Component
class ReminderJobs {

    private static final Logger log = LoggerFactory.getLogger(ReminderJobs.class);
    static final Duration RENEWAL_NOTICE = Duration.ofDays(3);
    private static final int PAGE = 500;

    private final ReminderOutbox outbox;
    private final ReminderSettings settings;
    private final Inventory inventory;
    private final Customers customers;
    private final Catalog catalog;
    private final Allowances allowances;
    private final Ledger ledger;
    private final Clock clock;

    ReminderJobs(ReminderOutbox outbox, ReminderSettings settings, Inventory inventory, Customers customers, Catalog catalog,
                 Allowances allowances, Ledger ledger, Clock clock) {
        this.outbox = outbox;
        this.settings = settings;
        this.inventory = inventory;
        this.customers = customers;
        this.catalog = catalog;
        this.allowances = allowances;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Scheduled(cron = "${telehall.notify.renewal-cron:0 0 10 * * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "notify-renewals", lockAtMostFor = "PT1H")
    void renewalsJob() {
        log.info("renewal reminders: {} new", renewals(clock.instant()));
    }

    @Scheduled(cron = "${telehall.notify.summary-cron:0 0 10 1,15 * *}", zone = "Asia/Shanghai")
    @SchedulerLock(name = "notify-usage-summary", lockAtMostFor = "PT2H")
    void summaryJob() {
        log.info("usage summaries: {} new", summaries(clock.instant()));
    }

    /**
     * Auto-renewing packs and services that renew within {@link #RENEWAL_NOTICE}: a pack at its end, a
     * monthly service at the customer's next cycle. How many reminders were new.
     */
    int renewals(Instant now) {
        int raised = 0;
        long after = 0;
        Map<Long, Customer> customerCache = new HashMap<>();
        for (List<Product> page = inventory.autoRenewing(after, PAGE); !page.isEmpty(); page = inventory.autoRenewing(after, PAGE)) {
            for (Product p : page) {
                after = p.id();
                ReminderSettings.Settings s = settings.of(p.customerId());
                if (!s.on(ReminderKind.RENEWAL)) {
                    continue;
                }
                Instant renewsAt = p.endsAt() != null ? p.endsAt()
                        : customerCache.computeIfAbsent(p.customerId(), customers::get)
                                .nextCycleStart(LocalDate.ofInstant(now, Customer.ZONE)).atStartOfDay(Customer.ZONE).toInstant();
                if (!renewsAt.isAfter(now) || renewsAt.isAfter(now.plus(RENEWAL_NOTICE))) {
                    continue;
                }
                Money fee = p.recurringFee() != null && p.recurringFee().isPositive() ? p.recurringFee()
                        : catalog.find(p.offeringId()).map(o -> o.price().recurringFee().isPositive() ? o.price().recurringFee()
                                : o.price().oneTimeFee()).orElse(Money.ZERO);
                Line line = customers.lineById(p.lineId()).orElse(null);
                if (line == null) {
                    continue;
                }
                LocalDate day = LocalDate.ofInstant(renewsAt, Customer.ZONE);
                if (outbox.raise(new ReminderOutbox.Reminder(p.customerId(), line.id(), line.msisdn().value(), ReminderKind.RENEWAL,
                        "RENEWAL", "renew:" + p.id() + ":" + day,
                        List.of(line.msisdn().masked(), Notifications.OFFERING + p.offeringId(), day.toString(), fee.display()),
                        s.smsDue(ReminderKind.RENEWAL, now, Customer.ZONE))).isPresent()) {
                    raised++;
                }
            }
        }
        return raised;
    }

    /** This cycle so far for every line in service: data, calls and SMS used of the allowance, and the money spent. */
    int summaries(Instant now) {
        LocalDate today = LocalDate.ofInstant(now, Customer.ZONE);
        int raised = 0;
        long after = 0;
        Map<Long, Customer> customerCache = new HashMap<>();
        Map<Long, Money> spentCache = new HashMap<>();
        for (List<Line> page = customers.linesInServiceAfter(after, PAGE); !page.isEmpty();
             page = customers.linesInServiceAfter(after, PAGE)) {
            for (Line line : page) {
                after = line.id();
                ReminderSettings.Settings s = settings.of(line.customerId());
                if (!s.on(ReminderKind.USAGE_SUMMARY)) {
                    continue;
                }
                Customer customer = customerCache.computeIfAbsent(line.customerId(), customers::get);
                LocalDate cycle = customer.cycleStart(today);
                Money spent = spentCache.computeIfAbsent(line.customerId(),
                        id -> ledger.totalDebited(id, cycle.atStartOfDay(Customer.ZONE).toInstant(), now));
                Map<UsageType, Allowance> a = allowances.summary(line.id(), now);
                Allowance data = a.get(UsageType.DATA);
                Allowance voice = a.get(UsageType.VOICE);
                Allowance sms = a.get(UsageType.SMS);
                if (outbox.raise(new ReminderOutbox.Reminder(line.customerId(), line.id(), line.msisdn().value(),
                        ReminderKind.USAGE_SUMMARY, "USAGE_SUMMARY", "summary:" + line.id() + ":" + today,
                        List.of(Msisdn.maskNumber(line.msisdn().value()), new DataVolume(data.used()).display(),
                                new DataVolume(data.total()).display(), Long.toString(voice.used()), Long.toString(voice.total()),
                                Long.toString(sms.used()), Long.toString(sms.total()), spent.display(), cycle.toString()),
                        s.smsDue(ReminderKind.USAGE_SUMMARY, now, Customer.ZONE))).isPresent()) {
                    raised++;
                }
            }
        }
        return raised;
    }
}
