package org.telehall.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.catalog.Catalog;
import org.telehall.customer.Customer;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestLines;
import org.telehall.usage.Rating;
import org.telehall.usage.UsageRated;
import org.telehall.usage.UsageSubmission;

/** Proactive reminders: each fires once per crossing, whatever order or how often the usage comes, and only if committed. */
class ReminderTest extends HallIntegrationTest {

    static final long MB = 1024;

    @Autowired
    Rating rating;

    @Autowired
    TestCustomers testCustomers;

    @Autowired
    TestLines testLines;

    @Autowired
    ReminderSettings settings;

    @Autowired
    ReminderOutbox outbox;

    @Autowired
    Catalog catalog;

    @Autowired
    org.telehall.ledger.Ledger ledger;

    @Autowired
    org.telehall.usage.RoamingRates roamingRates;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate tx;

    private static UsageSubmission data(String id, String msisdn, Instant at, long kb) {
        return new UsageSubmission(id, msisdn, "data", null, at.toString(), null, BigDecimal.valueOf(kb), "KB", null);
    }

    private static String id(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    /** A subscriber with a 100 MB plan, money for overage and no quiet hours, so SMS go at once. */
    private TestCustomers.TestSubscriber subscriber(String name) {
        TestCustomers.TestSubscriber s = testCustomers.subscriber(name);
        testLines.plan(s, "plan-5g-58", 100 * MB, 100, 100, clock.instant());
        testLines.topUp(s, Money.ofYuan(100), id("test:notify"));
        settings.save(s.customerId(), new ReminderSettings.Settings(80, null, LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, Set.of()));
        return s;
    }

    private List<String> templates(TestCustomers.TestSubscriber s) {
        return SentReminders.templates(jdbc, s);
    }

    private List<String> reminderSms(TestCustomers.TestSubscriber s) {
        return SentReminders.reminderSms(jdbc, s);
    }

    @Test
    void data_reminders_fire_once_each_at_80_then_100_then_200_percent_with_the_real_figures() {
        TestCustomers.TestSubscriber s = subscriber("Gauge");
        Instant now = clock.instant();
        String rate = catalog.get("plan-5g-58").price().dataOveragePerMb().display();

        rating.rate(List.of(data(id("g1"), s.msisdn(), now.minusSeconds(60), 79 * MB)));
        assertThat(templates(s)).isEmpty();

        String crossing = id("g2");
        rating.rate(List.of(data(crossing, s.msisdn(), now.minusSeconds(50), MB)));
        assertThat(templates(s)).containsExactly("DATA_THRESHOLD");
        assertThat(reminderSms(s)).singleElement().satisfies(body -> assertThat(body)
                .contains("已用 80 MB").contains("共 100 MB").contains("80%").contains("剩余 20 MB").contains(s.msisdn().substring(0, 3) + "****"));

        // the same record again, and more usage short of 100 %: nothing new
        rating.rate(List.of(data(crossing, s.msisdn(), now.minusSeconds(50), MB)));
        rating.rate(List.of(data(id("g3"), s.msisdn(), now.minusSeconds(40), 10 * MB)));
        assertThat(templates(s)).containsExactly("DATA_THRESHOLD");

        // 90 → 116 MB: the allowance is used up, 16 MB beyond it
        rating.rate(List.of(data(id("g4"), s.msisdn(), now.minusSeconds(30), 26 * MB)));
        assertThat(templates(s)).containsExactly("DATA_THRESHOLD", "DATA_USED_UP");
        assertThat(reminderSms(s).get(1)).contains("100 MB").contains(rate + "/MB");

        // 16 + 50 MB beyond: under 200 %; + 40 MB: 206 MB used, past 200 %
        rating.rate(List.of(data(id("g5"), s.msisdn(), now.minusSeconds(20), 50 * MB)));
        assertThat(templates(s)).hasSize(2);
        rating.rate(List.of(data(id("g6"), s.msisdn(), now.minusSeconds(10), 40 * MB)));
        assertThat(templates(s)).containsExactly("DATA_THRESHOLD", "DATA_USED_UP", "DATA_BEYOND");
        assertThat(reminderSms(s)).hasSize(3);
        assertThat(reminderSms(s).get(2)).contains("200%").contains("套餐外已用 106 MB");
    }

    @Test
    void records_arriving_late_and_out_of_order_cross_once() {
        TestCustomers.TestSubscriber s = subscriber("Late");
        Instant now = clock.instant();
        // the newest record first, then two from hours before it: the total crosses 80 % once, whatever the order
        rating.rate(List.of(data(id("l1"), s.msisdn(), now.minusSeconds(10), 50 * MB)));
        rating.rate(List.of(data(id("l2"), s.msisdn(), now.minus(Duration.ofHours(3)), 35 * MB)));
        rating.rate(List.of(data(id("l3"), s.msisdn(), now.minus(Duration.ofHours(5)), 5 * MB)));

        assertThat(templates(s)).containsExactly("DATA_THRESHOLD");
        assertThat(reminderSms(s)).singleElement().satisfies(b -> assertThat(b).contains("已用 85 MB").contains("85%"));
    }

    @Test
    void the_same_crossing_rated_by_two_nodes_at_once_or_published_twice_fires_once() throws Exception {
        TestCustomers.TestSubscriber s = subscriber("Twins");
        Instant now = clock.instant();
        String run = Long.toString(System.nanoTime());
        List<UsageSubmission> batch = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            batch.add(data("twin-" + run + "-" + i, s.msisdn(), now.minusSeconds(100 - i), 10 * MB));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Object>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                work.add(() -> rating.rate(batch));
            }
            for (Future<Object> f : pool.invokeAll(work)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertThat(templates(s)).containsExactly("DATA_THRESHOLD");

        // the event itself delivered twice (a replay): the crossing key stops the second
        UsageRated again = new UsageRated(s.lineId(), s.customerId(), s.msisdn(), now, 100 * MB, 70 * MB, 90 * MB, 0,
                Money.ZERO, List.of());
        tx.executeWithoutResult(st -> events.publishEvent(new UsageRated.Batch(List.of(again))));
        tx.executeWithoutResult(st -> events.publishEvent(new UsageRated.Batch(List.of(again))));
        assertThat(templates(s)).containsExactly("DATA_THRESHOLD");
        assertThat(reminderSms(s)).hasSize(1);
    }

    @Test
    void a_crossing_whose_transaction_rolls_back_leaves_no_entry_and_sends_no_sms() {
        TestCustomers.TestSubscriber s = subscriber("Rollback");
        UsageRated crossing = new UsageRated(s.lineId(), s.customerId(), s.msisdn(), clock.instant(), 100 * MB, 70 * MB, 90 * MB, 0,
                Money.ZERO, List.of());

        tx.executeWithoutResult(st -> {
            events.publishEvent(new UsageRated.Batch(List.of(crossing)));
            assertThat(templates(s)).as("written inside the transaction").containsExactly("DATA_THRESHOLD");
            st.setRollbackOnly();
        });
        assertThat(templates(s)).isEmpty();
        assertThat(reminderSms(s)).isEmpty();

        // the same crossing committed: one entry, one SMS
        tx.executeWithoutResult(st -> events.publishEvent(new UsageRated.Batch(List.of(crossing))));
        assertThat(templates(s)).containsExactly("DATA_THRESHOLD");
        assertThat(reminderSms(s)).hasSize(1);
    }

    @Test
    void suspension_and_restoration_are_told_at_once_even_in_quiet_hours() {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("Stopped");
        Instant now = clock.instant();
        testLines.plan(s, "plan-5g-58", 0, 0, 0, now);
        testLines.creditLimit(s, Money.ZERO);
        testLines.topUp(s, Money.ofFen(50), id("test:stopped"));
        LocalTime local = now.atZone(Customer.ZONE).toLocalTime();
        settings.save(s.customerId(), new ReminderSettings.Settings(80, null, local.minusHours(1).withSecond(0).withNano(0),
                local.plusHours(2).withSecond(0).withNano(0), Set.of()));

        rating.rate(List.of(data(id("stop"), s.msisdn(), now.minusSeconds(10), 300 * MB)));
        assertThat(testLines.status(s)).isEqualTo("SUSPENDED");
        assertThat(templates(s)).containsExactly("SUSPENDED_ARREARS");
        assertThat(reminderSms(s)).singleElement().satisfies(b -> assertThat(b).contains("停机").contains("¥0.00"));

        testLines.topUp(s, Money.ofYuan(20), id("test:stopped:back"));
        assertThat(testLines.status(s)).isEqualTo("ACTIVE");
        assertThat(templates(s)).containsExactly("SUSPENDED_ARREARS", "RESTORED");
        assertThat(reminderSms(s).get(1)).contains("恢复").contains("余额 " + ledger.balanceOf(s.customerId()).display());
    }

    @Test
    void in_quiet_hours_the_entry_appears_at_once_and_the_sms_waits_for_their_end() {
        TestCustomers.TestSubscriber s = subscriber("Quiet");
        Instant now = clock.instant();
        LocalTime local = now.atZone(Customer.ZONE).toLocalTime();
        settings.save(s.customerId(), new ReminderSettings.Settings(80, null, local.minusHours(1).withSecond(0).withNano(0),
                local.plusHours(1).withSecond(0).withNano(0), Set.of()));

        rating.rate(List.of(data(id("q1"), s.msisdn(), now.minusSeconds(10), 85 * MB)));
        assertThat(templates(s)).containsExactly("DATA_THRESHOLD");
        assertThat(reminderSms(s)).isEmpty();
        outbox.sendDue();
        assertThat(reminderSms(s)).as("still quiet").isEmpty();

        clock.advance(Duration.ofMinutes(61));
        outbox.sendDue();
        outbox.sendDue();
        assertThat(reminderSms(s)).singleElement().satisfies(b -> assertThat(b).contains("85%"));
    }

    @Test
    void a_customer_who_turned_data_reminders_off_or_chose_another_threshold_gets_what_they_chose() {
        TestCustomers.TestSubscriber off = subscriber("Off");
        settings.save(off.customerId(), new ReminderSettings.Settings(80, null, LocalTime.MIDNIGHT, LocalTime.MIDNIGHT,
                Set.of(ReminderKind.DATA)));
        TestCustomers.TestSubscriber early = subscriber("Early");
        settings.save(early.customerId(), new ReminderSettings.Settings(60, null, LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, Set.of()));
        Instant now = clock.instant();

        rating.rate(List.of(data(id("o1"), off.msisdn(), now.minusSeconds(10), 90 * MB),
                data(id("e1"), early.msisdn(), now.minusSeconds(10), 65 * MB)));

        assertThat(templates(off)).isEmpty();
        assertThat(templates(early)).containsExactly("DATA_THRESHOLD");
        assertThat(reminderSms(early)).singleElement().satisfies(b -> assertThat(b).contains("65%"));
        rating.rate(List.of(data(id("e2"), early.msisdn(), now.minusSeconds(5), 20 * MB)));
        assertThat(templates(early)).as("80 % is not the chosen threshold").containsExactly("DATA_THRESHOLD");
    }

    private void charge(TestCustomers.TestSubscriber s, Money amount, String key) {
        ledger.charge(new org.telehall.ledger.Posting(s.customerId(), amount, key, org.telehall.ledger.ReasonCodes.ADJUSTMENT, "test"), "TEST");
    }

    @Test
    void low_balance_is_told_once_per_crossing_of_the_chosen_amount_and_again_after_a_top_up_above_it() {
        TestCustomers.TestSubscriber s = subscriber("LowBalance");   // ¥100.00
        settings.save(s.customerId(), new ReminderSettings.Settings(80, Money.ofYuan(10), LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, Set.of()));

        charge(s, Money.ofYuan(85), id("low:a"));                    // ¥15.00: above
        assertThat(templates(s)).isEmpty();
        String crossing = id("low:b");
        charge(s, Money.ofYuan(6), crossing);                         // ¥9.00: below
        charge(s, Money.ofYuan(6), crossing);                         // the same charge again: the ledger ignores it
        charge(s, Money.ofYuan(1), id("low:c"));                      // ¥8.00: still below, no new crossing
        assertThat(templates(s)).containsExactly("LOW_BALANCE");
        assertThat(reminderSms(s)).singleElement().satisfies(b -> assertThat(b).contains("¥9.00").contains("¥10.00"));

        testLines.topUp(s, Money.ofYuan(5), id("test:low:up-a"));    // ¥13.00: above again, re-armed
        charge(s, Money.ofYuan(3), id("low:d"));                      // ¥10.00: not below
        assertThat(templates(s)).hasSize(1);
        charge(s, Money.ofFen(1), id("low:e"));                       // ¥9.99: below once more
        assertThat(templates(s)).containsExactly("LOW_BALANCE", "LOW_BALANCE");
        assertThat(reminderSms(s).get(1)).contains("¥9.99");
    }

    @Test
    void roaming_arrival_brings_the_countrys_prices_then_every_20_mb_there_is_told_once() {
        TestCustomers.TestSubscriber s = subscriber("Traveller");
        Instant now = clock.instant();
        org.telehall.usage.RoamingRates.Rate japan = roamingRates.of("JP");
        String arrival = id("jp1");

        rating.rate(List.of(roaming(arrival, s, now.minusSeconds(600), 5 * MB, "JP")));
        assertThat(templates(s)).containsExactly("ROAMING_ARRIVAL");
        assertThat(reminderSms(s)).singleElement().satisfies(b -> assertThat(b).contains("欢迎来到日本")
                .contains("流量 " + japan.dataPerMb().display() + "/MB").contains("通话 " + japan.voicePerMinute().display() + "/分钟")
                .contains("短信 " + japan.sms().display() + "/条"));

        rating.rate(List.of(roaming(arrival, s, now.minusSeconds(600), 5 * MB, "JP")));          // sent again
        rating.rate(List.of(roaming(id("jp2"), s, now.minusSeconds(500), 10 * MB, "JP")));       // 15 MB
        assertThat(templates(s)).hasSize(1);
        rating.rate(List.of(roaming(id("jp3"), s, now.minusSeconds(400), 10 * MB, "JP")));       // 25 MB
        rating.rate(List.of(roaming(id("jp4"), s, now.minusSeconds(300), 10 * MB, "JP")));       // 35 MB
        rating.rate(List.of(roaming(id("jp5"), s, now.minusSeconds(900), 6 * MB, "JP")));        // 41 MB, arriving late
        assertThat(templates(s)).containsExactly("ROAMING_ARRIVAL", "ROAMING_DATA", "ROAMING_DATA");
        assertThat(reminderSms(s).get(1)).contains("在日本已使用漫游流量 20 MB");
        assertThat(reminderSms(s).get(2)).contains("40 MB");

        rating.rate(List.of(roaming(id("us1"), s, now.minusSeconds(100), MB, "US")));
        assertThat(templates(s)).last().isEqualTo("ROAMING_ARRIVAL");
        assertThat(reminderSms(s).get(3)).contains("美国").contains(roamingRates.of("US").dataPerMb().display() + "/MB");
    }

    private static UsageSubmission roaming(String id, TestCustomers.TestSubscriber s, Instant at, long kb, String country) {
        return new UsageSubmission(id, s.msisdn(), "data", null, at.toString(), null, BigDecimal.valueOf(kb), "KB", country);
    }
}
