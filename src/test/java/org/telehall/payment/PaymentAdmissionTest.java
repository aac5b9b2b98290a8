package org.telehall.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The admission's arithmetic without the hall around it, on a clock that moves only when told. */
class PaymentAdmissionTest {

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-11T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @Test
    void two_hundred_threads_at_once_get_exactly_the_limit_across_several_payers() throws Exception {
        PaymentAdmission admission = new PaymentAdmission(clock, 10, Duration.ofMinutes(1), 25, Duration.ofSeconds(1), 1000);
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> tries = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            long payer = i % 4;
            tries.add(pool.submit((Callable<Boolean>) () -> {
                start.await();
                try (PaymentAdmission.Ticket t = admission.admit(payer)) {
                    return true;
                } catch (PaymentsBusyException e) {
                    return false;
                }
            }));
        }
        start.countDown();
        int admitted = 0;
        for (Future<Boolean> f : tries) {
            admitted += f.get() ? 1 : 0;
        }
        pool.shutdown();
        // 4 payers × 10 would be 40; the node's 25 is the tighter limit
        assertThat(admitted).isEqualTo(25);
    }

    @Test
    void a_payer_refused_by_the_node_keeps_their_own_turn_and_the_wait_is_the_refill_time() {
        PaymentAdmission admission = new PaymentAdmission(clock, 2, Duration.ofMinutes(1), 1, Duration.ofSeconds(10), 100);
        admission.admit(1).close();
        assertThatThrownBy(() -> admission.admit(2)).isInstanceOfSatisfying(PaymentsBusyException.class, e -> {
            assertThat(e.limit()).isEqualTo(PaymentsBusyException.Limit.NODE);
            assertThat(e.retryAfterSeconds()).isEqualTo(10);
        });
        now.set(now.get().plusSeconds(10));
        admission.admit(2).close();
        now.set(now.get().plusSeconds(10));
        // payer 2's refused try did not count: a second one still fits their 2
        admission.admit(2).close();
        now.set(now.get().plusSeconds(10));
        assertThatThrownBy(() -> admission.admit(2)).isInstanceOfSatisfying(PaymentsBusyException.class, e -> {
            assertThat(e.limit()).isEqualTo(PaymentsBusyException.Limit.USER);
            assertThat(e.retryAfterSeconds()).isBetween(1L, 30L);
        });
    }

    @Test
    void at_most_in_flight_orders_are_being_made_at_once_and_a_closed_ticket_frees_its_place() {
        PaymentAdmission admission = new PaymentAdmission(clock, 100, Duration.ofMinutes(1), 100, Duration.ofSeconds(1), 2);
        PaymentAdmission.Ticket first = admission.admit(1);
        PaymentAdmission.Ticket second = admission.admit(2);
        assertThatThrownBy(() -> admission.admit(3)).hasFieldOrPropertyWithValue("limit", PaymentsBusyException.Limit.IN_FLIGHT);
        first.close();
        first.close();   // twice changes nothing
        admission.admit(3);
        assertThatThrownBy(() -> admission.admit(4)).hasFieldOrPropertyWithValue("limit", PaymentsBusyException.Limit.IN_FLIGHT);
        // what an operator watches: refusals by limit, and the orders being made now
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        admission.bindTo(registry);
        assertThat(registry.get("telehall.payments.refused").tag("limit", "in_flight").functionCounter().count()).isEqualTo(2);
        assertThat(registry.get("telehall.payments.refused").tag("limit", "node").functionCounter().count()).isZero();
        assertThat(registry.get("telehall.payments.in.flight").gauge().value()).isEqualTo(2);
        second.close();
        assertThat(registry.get("telehall.payments.in.flight").gauge().value()).isEqualTo(1);
    }

    @Test
    void payers_whose_bucket_filled_up_again_are_forgotten() {
        PaymentAdmission admission = new PaymentAdmission(clock, 2, Duration.ofMinutes(1), 100, Duration.ofSeconds(1), 100);
        admission.admit(1).close();
        now.set(now.get().plusSeconds(30));
        admission.admit(2).close();
        admission.admit(2).close();
        now.set(now.get().plusSeconds(31));
        admission.forgetIdle();
        assertThat(admission.payersRemembered()).as("payer 1 is full again, payer 2 is not").isEqualTo(1);
    }
}
