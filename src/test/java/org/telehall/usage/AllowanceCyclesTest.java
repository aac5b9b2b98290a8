package org.telehall.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.customer.Customer;
import org.telehall.shared.DataVolume;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestLines;
import org.telehall.support.WebSession;

/** Cycle roll-over: the plan allowance renews at the billing day, unused data rolls over where the plan allows, once. */
class AllowanceCyclesTest extends HallIntegrationTest {

    private static final long PLAN_128_KB = 60L * 1024 * 1024;
    private static final long PLAN_58_KB = 30L * 1024 * 1024;

    @Autowired
    AllowanceCycles cycles;

    @Autowired
    Rating rating;

    @Autowired
    Allowances allowances;

    @Autowired
    TestCustomers testCustomers;

    @Autowired
    TestLines testLines;

    @Autowired
    TransactionTemplate tx;

    /** A subscriber whose cycle (billing day today, or the 28th late in a month) has just begun, with last cycle's buckets. */
    private record Subscriber(TestCustomers.TestSubscriber s, Instant lastStart, Instant start, Instant end, long lastDataBucket) {
    }

    private Subscriber onPlanSinceLastCycle(String name, String plan, long lastDataKb, long lastDataUsed) {
        TestCustomers.TestSubscriber s = testCustomers.subscriber(name);
        LocalDate today = LocalDate.ofInstant(clock.instant(), Customer.ZONE);
        int cycleDay = Math.min(today.getDayOfMonth(), 28);
        jdbc.sql("update customer set cycle_day = ? where id = ?").params(cycleDay, s.customerId()).update();
        LocalDate start = Customer.cycleStart(cycleDay, today);
        Instant lastStart = start.minusMonths(1).atStartOfDay(Customer.ZONE).toInstant();
        Instant startAt = start.atStartOfDay(Customer.ZONE).toInstant();
        Instant end = start.plusMonths(1).atStartOfDay(Customer.ZONE).toInstant();
        long productId = jdbc.sql("""
                insert into product (customer_id, line_id, offering_id, kind, status, started_at) values (?, ?, ?, 'PLAN', 'ACTIVE', ?) returning id
                """).params(s.customerId(), s.lineId(), plan, Timestamp.from(lastStart.minus(Duration.ofDays(40)))).query(Long.class).single();
        long data = bucket(s, "DATA", "PLAN", productId, plan, lastDataKb, lastDataUsed, lastStart, startAt);
        bucket(s, "VOICE", "PLAN", productId, plan, 800, 100, lastStart, startAt);
        bucket(s, "SMS", "PLAN", productId, plan, 200, 10, lastStart, startAt);
        return new Subscriber(s, lastStart, startAt, end, data);
    }

    private long bucket(TestCustomers.TestSubscriber s, String kind, String source, Long productId, String offering, long initial, long used,
                        Instant from, Instant to) {
        return jdbc.sql("""
                insert into bucket (line_id, kind, source, product_id, offering_id, initial_amount, used_amount, valid_from, valid_to)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?) returning id
                """).params(s.lineId(), kind, source, productId, offering, initial, used, Timestamp.from(from), Timestamp.from(to))
                .query(Long.class).single();
    }

    /** (kind, source, initial, used, valid_from, valid_to) of the line's buckets, oldest first. */
    private List<String> buckets(TestCustomers.TestSubscriber s) {
        return jdbc.sql("select * from bucket where line_id = ? order by valid_from, kind, source, id").param(s.lineId())
                .query((rs, n) -> rs.getString("kind") + " " + rs.getString("source") + " " + rs.getLong("initial_amount") + " "
                        + rs.getLong("used_amount") + " " + rs.getTimestamp("valid_from").toInstant() + ".." + rs.getTimestamp("valid_to").toInstant())
                .list();
    }

    private static UsageSubmission data(String id, String msisdn, Instant at, long kb) {
        return new UsageSubmission(id, msisdn, "data", null, at.toString(), null, BigDecimal.valueOf(kb), "KB", null);
    }

    private static String id(String prefix) {
        return prefix + "-" + System.nanoTime();
    }

    @Test
    void the_plan_renews_at_the_billing_day_and_unused_data_rolls_over_only_where_the_plan_allows_it() {
        Subscriber rolls = onPlanSinceLastCycle("Rolls", "plan-5g-128", 1_000_000, 600_000);
        Subscriber keeps = onPlanSinceLastCycle("NoRoll", "plan-5g-58", 1_000_000, 600_000);

        cycles.run();

        assertThat(buckets(rolls.s())).containsExactly(
                "DATA PLAN 600000 600000 " + rolls.lastStart() + ".." + rolls.start(),
                "DATA ROLLOVER 400000 0 " + rolls.lastStart() + ".." + rolls.end(),
                "SMS PLAN 200 10 " + rolls.lastStart() + ".." + rolls.start(),
                "VOICE PLAN 800 100 " + rolls.lastStart() + ".." + rolls.start(),
                "DATA PLAN " + PLAN_128_KB + " 0 " + rolls.start() + ".." + rolls.end(),
                "SMS PLAN 200 0 " + rolls.start() + ".." + rolls.end(),
                "VOICE PLAN 800 0 " + rolls.start() + ".." + rolls.end());
        assertThat(buckets(keeps.s())).as("plan-5g-58 has no roll-over: last cycle's data just expires").containsExactly(
                "DATA PLAN 1000000 600000 " + keeps.lastStart() + ".." + keeps.start(),
                "SMS PLAN 200 10 " + keeps.lastStart() + ".." + keeps.start(),
                "VOICE PLAN 800 100 " + keeps.lastStart() + ".." + keeps.start(),
                "DATA PLAN " + PLAN_58_KB + " 0 " + keeps.start() + ".." + keeps.end(),
                "SMS PLAN 100 0 " + keeps.start() + ".." + keeps.end(),
                "VOICE PLAN 300 0 " + keeps.start() + ".." + keeps.end());
        assertThat(allowances.summary(rolls.s().lineId(), clock.instant()).get(UsageType.DATA).total())
                .as("this cycle: the plan's 60 GB and the 400,000 KB rolled over").isEqualTo(PLAN_128_KB + 400_000);
        assertThat(jdbc.sql("select rolled_kb from allowance_cycle where line_id = ?").param(rolls.s().lineId()).query(Long.class).single())
                .isEqualTo(400_000);

        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, rolls.s().msisdn(), rolls.s().password(), this::latestCodeSentTo);
        assertThat(web.get("/").body()).as("the home page says how much of this cycle's data was carried over")
                .contains("含上月结转 " + new DataVolume(400_000).display());

        List<String> before = buckets(rolls.s());
        cycles.run();
        new AllowanceCycles(jdbc, tx, clock, 1, 1).run();
        assertThat(buckets(rolls.s())).as("a second run renews and rolls nothing again").isEqualTo(before);
    }

    @Test
    void rating_uses_packs_then_the_rolled_over_data_then_the_plan_and_a_late_record_of_the_old_cycle_draws_on_the_roll_over() {
        Subscriber sub = onPlanSinceLastCycle("RollOrder", "plan-5g-198", 1_000_000, 900_000);
        TestCustomers.TestSubscriber s = sub.s();
        testLines.topUp(s, Money.ofYuan(1), id("test:rollorder"));
        Instant now = clock.instant();
        cycles.run();
        long rolledOver = testLines.bucketOf(s, "DATA", "ROLLOVER");
        long plan = jdbc.sql("select id from bucket where line_id = ? and kind = 'DATA' and source = 'PLAN' and valid_from = ?")
                .params(s.lineId(), Timestamp.from(sub.start())).query(Long.class).single();
        long pack = testLines.pack(s, "pack-data-5g-month", "DATA", 50_000, now.minusSeconds(60), now.plus(Duration.ofDays(30)));

        rating.rate(List.of(data(id("roll-a"), s.msisdn(), now.minusSeconds(30), 80_000)));
        assertThat(testLines.used(pack)).isEqualTo(50_000);
        assertThat(testLines.used(rolledOver)).isEqualTo(30_000);
        assertThat(testLines.used(plan)).isZero();

        // used in the last minute of the old cycle, reported only now: the old bucket's rest has moved, so it comes from the roll-over
        List<RatingOutcome> late = rating.rate(List.of(data(id("roll-late"), s.msisdn(), sub.start().minusSeconds(60), 20_000)));
        assertThat(late.get(0).charge()).isEqualTo(Money.ZERO);
        assertThat(testLines.used(sub.lastDataBucket())).isEqualTo(900_000);
        assertThat(testLines.used(rolledOver)).isEqualTo(50_000);

        rating.rate(List.of(data(id("roll-b"), s.msisdn(), now.minusSeconds(20), 60_000)));
        assertThat(testLines.used(rolledOver)).isEqualTo(100_000);
        assertThat(testLines.used(plan)).isEqualTo(10_000);
    }

    @Test
    void the_next_cycle_is_renewed_ahead_and_rolled_over_only_once_it_has_begun() {
        Subscriber sub = onPlanSinceLastCycle("Ahead", "plan-5g-128", 1_000_000, 0);
        Instant now = clock.instant();
        cycles.run();
        Instant nextEnd = sub.end().atZone(Customer.ZONE).plusMonths(1).toInstant();

        AllowanceCycles.Run ahead = cycles.run(now, Duration.between(now, sub.end()).plusHours(1));

        assertThat(ahead.renewed()).isPositive();
        assertThat(jdbc.sql("select initial_amount from bucket where line_id = ? and kind = 'DATA' and source = 'PLAN' and valid_from = ? and valid_to = ?")
                .params(sub.s().lineId(), Timestamp.from(sub.end()), Timestamp.from(nextEnd)).query(Long.class).single()).isEqualTo(PLAN_128_KB);
        assertThat(jdbc.sql("select rolled_at is null from allowance_cycle where line_id = ? and cycle_start = ?")
                .params(sub.s().lineId(), Timestamp.from(sub.end())).query(Boolean.class).single())
                .as("this cycle's data is still being used: nothing to roll yet").isTrue();
        assertThat(jdbc.sql("select count(*) from bucket where line_id = ? and source = 'ROLLOVER'").param(sub.s().lineId())
                .query(Long.class).single()).as("only the roll-over into the cycle that has begun").isEqualTo(1);
    }

    @Test
    void a_cycle_whose_plan_allowance_a_plan_change_granted_is_not_granted_again_and_a_later_change_takes_over_the_renewed_one() {
        Subscriber granted = onPlanSinceLastCycle("Granted", "plan-5g-58", 1_000_000, 0);
        bucket(granted.s(), "DATA", "PLAN", null, "plan-5g-198", 123_456, 0, granted.start(), granted.end());

        cycles.run();

        assertThat(jdbc.sql("select count(*) from bucket where line_id = ? and source = 'PLAN' and valid_from = ?")
                .params(granted.s().lineId(), Timestamp.from(granted.start())).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select granted from allowance_cycle where line_id = ?").param(granted.s().lineId())
                .query(Boolean.class).single()).isFalse();

        // renewed for plan-5g-58 (30 GB), then a change to plan-5g-198 effective at the cycle start is fulfilled
        Subscriber changed = onPlanSinceLastCycle("Changed", "plan-5g-58", 1_000_000, 0);
        cycles.run();
        rating.rate(List.of(data(id("changed"), changed.s().msisdn(), clock.instant().minusSeconds(5), 1_000)));
        jdbc.sql("update product set status = 'TERMINATED', ends_at = ? where line_id = ? and kind = 'PLAN'")
                .params(Timestamp.from(changed.start()), changed.s().lineId()).update();
        long newPlan = jdbc.sql("""
                insert into product (customer_id, line_id, offering_id, kind, status, started_at) values (?, ?, 'plan-5g-198', 'PLAN', 'ACTIVE', ?) returning id
                """).params(changed.s().customerId(), changed.s().lineId(), Timestamp.from(changed.start())).query(Long.class).single();
        allowances.planAllowanceForCycle(changed.s().lineId(), newPlan, "plan-5g-198", 100L * 1024 * 1024, 1500, 300,
                changed.start(), changed.end(), true);

        assertThat(buckets(changed.s())).filteredOn(b -> b.endsWith(changed.start() + ".." + changed.end())).containsExactly(
                "DATA PLAN " + 100L * 1024 * 1024 + " 1000 " + changed.start() + ".." + changed.end(),
                "SMS PLAN 300 0 " + changed.start() + ".." + changed.end(),
                "VOICE PLAN 1500 0 " + changed.start() + ".." + changed.end());
    }

    @Test
    void cycles_of_every_billing_day_are_computed_in_beijing_time() {
        Instant now = Instant.parse("2026-03-30T17:00:00Z"); // 31 March 01:00 in Beijing
        List<AllowanceCycles.Cycle> due = AllowanceCycles.cyclesDue(now, Duration.ofHours(24));
        assertThat(due).contains(
                new AllowanceCycles.Cycle(1, Instant.parse("2026-02-28T16:00:00Z"), Instant.parse("2026-03-31T16:00:00Z")),
                new AllowanceCycles.Cycle(1, Instant.parse("2026-03-31T16:00:00Z"), Instant.parse("2026-04-30T16:00:00Z")),
                new AllowanceCycles.Cycle(28, Instant.parse("2026-03-27T16:00:00Z"), Instant.parse("2026-04-27T16:00:00Z")));
        assertThat(due).hasSize(29);
    }
}
