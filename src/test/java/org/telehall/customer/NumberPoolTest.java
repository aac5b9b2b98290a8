package org.telehall.customer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;

/** Picking a number for a new line: search, the 15-minute hold, activation and the real-name rules. */
class NumberPoolTest extends HallIntegrationTest {

    /** Numbers of this class's own, 171…: neither the demo pool (188/159/198…) nor test subscribers (170…) use them. */
    private static final AtomicInteger NEXT_NUMBER = new AtomicInteger(1);
    private static final AtomicInteger NEXT_PERSON = new AtomicInteger(100);

    @Autowired NumberPool pool;
    @Autowired RealNameCheck realNames;
    @Autowired Customers customers;
    @Autowired TestCustomers testCustomers;

    @Test
    void a_number_one_customer_holds_is_refused_to_another() {
        TestSubscriber first = testCustomers.subscriber("Hold First");
        TestSubscriber second = testCustomers.subscriber("Hold Second");
        Msisdn number = stocked();
        Instant now = clock.instant();

        NumberHold hold = pool.hold(first.customerId(), number, now);

        assertThat(Duration.between(now, hold.until())).isBetween(NumberPool.HOLD_FOR.minusMillis(1), NumberPool.HOLD_FOR);
        assertThatThrownBy(() -> pool.hold(second.customerId(), number, now))
                .isInstanceOfSatisfying(BusinessRuleException.class, e -> assertThat(e.code()).isEqualTo("number.taken"));
        assertThat(pool.holdOf(first.customerId(), now)).contains(hold);
        assertThat(pool.holdOf(second.customerId(), now)).isEmpty();
        assertThat(pool.search(number.value(), false, 0, 10)).isEmpty();
    }

    @Test
    void holding_again_extends_the_hold_and_holding_another_number_releases_the_first() {
        TestSubscriber s = testCustomers.subscriber("Hold Twice");
        Msisdn one = stocked();
        Msisdn other = stocked();
        Instant now = clock.instant();
        pool.hold(s.customerId(), one, now);

        NumberHold again = pool.hold(s.customerId(), one, now.plusSeconds(60));
        assertThat(again.until()).isAfter(now.plus(NumberPool.HOLD_FOR).plusSeconds(59));

        pool.hold(s.customerId(), other, now.plusSeconds(120));
        assertThat(pool.holdOf(s.customerId(), now.plusSeconds(120))).map(NumberHold::msisdn).contains(other);
        assertThat(pool.search(one.value(), false, 0, 10)).extracting(PoolNumber::msisdn).containsExactly(one);
    }

    @Test
    void a_hold_lapses_after_15_minutes_and_another_customer_may_then_hold_the_number() {
        TestSubscriber first = testCustomers.subscriber("Lapse First");
        TestSubscriber second = testCustomers.subscriber("Lapse Second");
        Msisdn number = stocked();
        pool.hold(first.customerId(), number, clock.instant());
        assertThat(pool.search(number.value(), false, 0, 10)).isEmpty();

        clock.advance(NumberPool.HOLD_FOR.plusSeconds(1));
        Instant later = clock.instant();

        assertThat(pool.holdOf(first.customerId(), later)).isEmpty();
        assertThat(pool.search(number.value(), false, 0, 10)).extracting(PoolNumber::msisdn).containsExactly(number);
        NumberHold taken = pool.hold(second.customerId(), number, later);
        assertThat(taken.customerId()).isEqualTo(second.customerId());
        assertThatThrownBy(() -> pool.hold(first.customerId(), number, later))
                .isInstanceOfSatisfying(BusinessRuleException.class, e -> assertThat(e.code()).isEqualTo("number.taken"));
    }

    @Test
    void release_expired_returns_lapsed_holds_to_the_pool_and_leaves_live_ones() {
        TestSubscriber lapsing = testCustomers.subscriber("Release Lapsed");
        TestSubscriber live = testCustomers.subscriber("Release Live");
        Msisdn lapsed = stocked();
        Msisdn kept = stocked();
        pool.hold(lapsing.customerId(), lapsed, clock.instant());
        clock.advance(Duration.ofMinutes(10));
        pool.hold(live.customerId(), kept, clock.instant());
        clock.advance(Duration.ofMinutes(6));

        int released = pool.releaseExpired(clock.instant());

        assertThat(released).isGreaterThanOrEqualTo(1);
        assertThat(heldBy(lapsed)).isNull();
        assertThat(heldBy(kept)).isEqualTo(live.customerId());
        assertThat(pool.search(lapsed.value(), false, 0, 10)).extracting(PoolNumber::msisdn).containsExactly(lapsed);
        assertThat(pool.releaseExpired(clock.instant())).isZero();
    }

    @Test
    void of_many_customers_holding_the_same_number_at_once_exactly_one_gets_it() throws Exception {
        int racers = 8;
        List<TestSubscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < racers; i++) {
            subscribers.add(testCustomers.subscriber("Racer " + i));
        }
        Msisdn number = stocked();
        Instant now = clock.instant();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(racers);
        try {
            List<Future<Long>> outcomes = new ArrayList<>();
            for (TestSubscriber s : subscribers) {
                Callable<Long> race = () -> {
                    start.await();
                    try {
                        return pool.hold(s.customerId(), number, now).customerId();
                    } catch (BusinessRuleException e) {
                        assertThat(e.code()).isEqualTo("number.taken");
                        return null;
                    }
                };
                outcomes.add(threads.submit(race));
            }
            start.countDown();
            List<Long> winners = new ArrayList<>();
            for (Future<Long> outcome : outcomes) {
                Long winner = outcome.get();
                if (winner != null) {
                    winners.add(winner);
                }
            }
            assertThat(winners).hasSize(1);
            assertThat(heldBy(number)).isEqualTo(winners.get(0));
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void activating_a_hold_opens_an_active_line_with_a_new_sim_and_takes_the_number_out_of_the_pool() {
        TestSubscriber s = withIdOnFile("Activate Me", newIdNumber());
        TestSubscriber other = testCustomers.subscriber("Activate Other");
        Msisdn number = stocked();
        pool.hold(s.customerId(), number, clock.instant());

        Line line = pool.activate(s.customerId(), number, clock.instant());

        assertThat(line.customerId()).isEqualTo(s.customerId());
        assertThat(line.msisdn()).isEqualTo(number);
        assertThat(line.status()).isEqualTo(LineStatus.ACTIVE);
        assertThat(line.iccid()).hasSize(20).startsWith("898603");
        assertThat(line.iccid().charAt(19) - '0').isEqualTo(NumberPool.luhn(line.iccid().substring(0, 19)));
        assertThat(customers.linesOf(s.customerId())).extracting(Line::msisdn).contains(number);
        assertThat(pool.search(number.value(), false, 0, 10)).isEmpty();
        assertThat(pool.holdOf(s.customerId(), clock.instant())).isEmpty();
        assertThat(pool.activate(s.customerId(), number, clock.instant())).isEqualTo(line);
        assertThatThrownBy(() -> pool.activate(other.customerId(), number, clock.instant()))
                .isInstanceOfSatisfying(BusinessRuleException.class, e -> assertThat(e.code()).isEqualTo("number.taken"));
        assertThatThrownBy(() -> pool.hold(other.customerId(), number, clock.instant()))
                .isInstanceOfSatisfying(BusinessRuleException.class, e -> assertThat(e.code()).isEqualTo("number.taken"));
    }

    @Test
    void a_lapsed_hold_that_someone_else_now_holds_cannot_be_activated() {
        TestSubscriber late = withIdOnFile("Too Late", newIdNumber());
        TestSubscriber quick = testCustomers.subscriber("Quick One");
        Msisdn number = stocked();
        pool.hold(late.customerId(), number, clock.instant());
        clock.advance(NumberPool.HOLD_FOR.plusSeconds(1));
        pool.hold(quick.customerId(), number, clock.instant());

        assertThatThrownBy(() -> pool.activate(late.customerId(), number, clock.instant()))
                .isInstanceOfSatisfying(BusinessRuleException.class, e -> assertThat(e.code()).isEqualTo("number.hold-expired"));
        assertThat(customers.lineByMsisdn(number)).isEmpty();
        assertThat(heldBy(number)).isEqualTo(quick.customerId());
    }

    @Test
    void a_customer_without_a_verified_id_number_on_file_gets_no_line() {
        TestSubscriber s = testCustomers.subscriber("No Id");
        Msisdn number = stocked();
        pool.hold(s.customerId(), number, clock.instant());

        assertThatThrownBy(() -> pool.activate(s.customerId(), number, clock.instant()))
                .isInstanceOfSatisfying(BusinessRuleException.class, e -> assertThat(e.code()).isEqualTo("realname.required"));
        assertThat(customers.lineByMsisdn(number)).isEmpty();
    }

    @Test
    void one_person_holds_at_most_five_lines_across_all_their_customer_records() {
        String id = newIdNumber();
        TestSubscriber a = withIdOnFile("Five Lines", id);
        TestSubscriber b = withIdOnFile("Five Lines", id);
        TestSubscriber stranger = withIdOnFile("Five Lines", newIdNumber());
        assertThat(realNames.linesHeldBy(id)).isEqualTo(2);
        for (int i = 0; i < 3; i++) {
            assertThat(realNames.check(a.customerId(), "Five Lines", id)).isEqualTo(RealNameCheck.Result.OK);
            Msisdn number = stocked();
            pool.hold(a.customerId(), number, clock.instant());
            pool.activate(a.customerId(), number, clock.instant());
        }
        assertThat(realNames.linesHeldBy(id)).isEqualTo(RealName.MAX_LINES_PER_PERSON);

        assertThat(realNames.check(b.customerId(), "Five Lines", id)).isEqualTo(RealNameCheck.Result.TOO_MANY_LINES);
        Msisdn sixth = stocked();
        pool.hold(b.customerId(), sixth, clock.instant());
        assertThatThrownBy(() -> pool.activate(b.customerId(), sixth, clock.instant()))
                .isInstanceOfSatisfying(BusinessRuleException.class, e -> assertThat(e.code()).isEqualTo("realname.too-many-lines"));
        assertThat(customers.lineByMsisdn(sixth)).isEmpty();
        assertThat(customers.linesOf(b.customerId())).hasSize(1);
        // the same name with another ID number is another person
        assertThat(realNames.check(stranger.customerId(), "Five Lines", jdbcIdOf(stranger))).isEqualTo(RealNameCheck.Result.OK);
    }

    @Test
    void the_check_refuses_a_bad_id_number_and_a_name_or_number_not_the_customers_own_and_changes_nothing() {
        String id = newIdNumber();
        TestSubscriber s = withIdOnFile("Real Person", id);
        String bad = id.substring(0, 17) + (id.charAt(17) == '0' ? '1' : '0');

        assertThat(realNames.check(s.customerId(), "Real Person", bad)).isEqualTo(RealNameCheck.Result.BAD_ID);
        assertThat(realNames.check(s.customerId(), "Someone Else", id)).isEqualTo(RealNameCheck.Result.MISMATCH);
        assertThat(realNames.check(s.customerId(), "Real Person", newIdNumber())).isEqualTo(RealNameCheck.Result.MISMATCH);
        assertThat(realNames.record(s.customerId(), "Real Person", newIdNumber())).isEqualTo(RealNameCheck.Result.MISMATCH);
        assertThat(realNames.check(s.customerId(), " real person ", id.toLowerCase())).isEqualTo(RealNameCheck.Result.OK);
        assertThat(jdbcIdOf(s)).isEqualTo(id);
    }

    @Test
    void the_demo_customers_id_numbers_are_digested_so_their_lines_count() {
        assertThat(realNames.linesHeldBy("110101199003074514")).isEqualTo(2);
        assertThat(realNames.linesHeldBy("310104198807125526")).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from customer where id_number_cipher is not null and id_number_digest is null")
                .query(Integer.class).single()).isZero();
    }

    @Test
    void customers_written_before_digests_existed_get_theirs_and_their_lines_count() {
        String id = newIdNumber();
        TestSubscriber s = testCustomers.subscriber("From Before");
        // as a row written before V15: the ID number on file encrypted, no digest
        jdbc.sql("update customer set id_number_cipher = ?, id_number_masked = ?, id_number_digest = null where id = ?")
                .params(cipher.encrypt(id), IdNumberCipher.mask(id), s.customerId()).update();
        assertThat(realNames.linesHeldBy(id)).isZero();

        assertThat(realNames.digestMissing()).isGreaterThanOrEqualTo(1);

        assertThat(realNames.linesHeldBy(id)).isEqualTo(1);
        assertThat(realNames.check(s.customerId(), "From Before", id)).isEqualTo(RealNameCheck.Result.OK);
        assertThat(realNames.check(s.customerId(), "From Before", newIdNumber())).isEqualTo(RealNameCheck.Result.MISMATCH);
    }

    @Test
    void search_finds_free_numbers_by_digits_suffix_first_and_lucky_ones_alone_when_asked() {
        String block = String.format("171%04d", NEXT_NUMBER.getAndAdd(10_000) / 10_000 + 9000);
        List<Msisdn> stock = List.of(new Msisdn(block + "8888"), new Msisdn(block + "1234"), new Msisdn(block + "7190"),
                new Msisdn(block + "0719"));
        assertThat(pool.stock(stock)).isEqualTo(4);
        assertThat(pool.stock(stock)).isZero();

        assertThat(pool.search(block, false, 0, 10)).hasSize(4);
        assertThat(pool.search(block, true, 0, 10)).extracting(PoolNumber::pattern).containsExactlyInAnyOrder("8888", "ABCD");
        PoolNumber luckiest = pool.get(new Msisdn(block + "8888"));
        assertThat(luckiest.lucky()).isTrue();
        assertThat(luckiest.price()).isEqualTo(Money.ofYuan(2000));
        assertThat(pool.get(new Msisdn(block + "7190")).price()).isEqualTo(Money.ZERO);
        assertThat(pool.get(new Msisdn(block + "7190")).pattern()).isNull();
        List<String> found = pool.search("719", false, 0, 100).stream().map(n -> n.msisdn().value()).toList();
        assertThat(found).contains(block + "0719", block + "7190").allSatisfy(n -> assertThat(n).contains("719"));
        int lastSuffix = 0;
        for (int i = 0; i < found.size(); i++) {
            if (found.get(i).endsWith("719")) {
                lastSuffix = i;
            }
        }
        assertThat(found.subList(0, lastSuffix + 1)).allSatisfy(n -> assertThat(n).endsWith("719"));
        assertThat(pool.search(block, false, 1, 2)).hasSize(2);
        assertThatThrownBy(() -> pool.search("13x", false, 0, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> pool.get(new Msisdn("17199999999"))).isInstanceOf(NotFoundException.class);
    }

    @Test
    void the_demo_pool_holds_thousands_of_numbers_a_few_percent_of_them_lucky_and_priced_by_pattern() {
        int demo = jdbc.sql("select count(*) from number_pool where msisdn ~ '^(1880188|1590159|1980198)'").query(Integer.class).single();
        int lucky = jdbc.sql("select count(*) from number_pool where lucky and msisdn ~ '^(1880188|1590159|1980198)'").query(Integer.class).single();
        assertThat(demo).isGreaterThanOrEqualTo(3000);
        assertThat(lucky * 100 / demo).isBetween(3, 15);
        assertThat(jdbc.sql("select min(price_fen), max(price_fen) from number_pool where lucky")
                .query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2))).single())
                .containsExactly(Money.ofYuan(100).fen(), Money.ofYuan(2000).fen());
        assertThat(jdbc.sql("select count(*) from number_pool p join line l on l.msisdn = p.msisdn where p.status = 'FREE'")
                .query(Integer.class).single()).isZero();
        List<PoolNumber> eights = pool.search("8888", true, 0, 3);
        assertThat(eights).hasSize(3).allSatisfy(n -> {
            assertThat(n.msisdn().value()).endsWith("8888");
            assertThat(n.pattern()).isEqualTo("8888");
        });
    }

    // --- helpers

    private Msisdn stocked() {
        Msisdn number = new Msisdn(String.format("171%08d", NEXT_NUMBER.getAndIncrement()));
        assertThat(pool.stock(List.of(number))).isEqualTo(1);
        return number;
    }

    /** A fresh valid ID number no other test uses. */
    private static String newIdNumber() {
        int n = NEXT_PERSON.getAndIncrement();
        String body = "320102" + String.format("1985%02d%02d", 1 + n % 12, 1 + n % 28) + String.format("%03d", n % 1000);
        return body + RealName.checkCharacter(body);
    }

    private TestSubscriber withIdOnFile(String name, String id) {
        TestSubscriber s = testCustomers.subscriber(name);
        assertThat(realNames.record(s.customerId(), name, id)).isEqualTo(RealNameCheck.Result.OK);
        return s;
    }

    private String jdbcIdOf(TestSubscriber s) {
        return jdbc.sql("select id_number_cipher from customer where id = ?").param(s.customerId()).query(String.class).optional()
                .map(cipher::decrypt).orElseThrow();
    }

    @Autowired IdNumberCipher cipher;

    private Long heldBy(Msisdn number) {
        return jdbc.sql("select held_by from number_pool where msisdn = ?").param(number.value())
                .query((rs, n) -> rs.getObject(1) == null ? null : rs.getLong(1)).list().get(0);
    }
}
