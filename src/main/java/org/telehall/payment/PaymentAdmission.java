package org.telehall.payment;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Admits the creation of new payment orders under surge, before any database work: at most
 * {@code per-user} new orders per payer in {@code per-user-period}, {@code node} per {@code node-period}
 * for the whole node, and {@code in-flight} being created at once. Whoever is refused gets a
 * {@link PaymentsBusyException} with a retry time (HTTP 429 + Retry-After in the API, a polite page in
 * the hall). Only creation is limited: provider notifications, order queries, reconciliation and
 * every page that reads stay open, so money already paid always arrives.
 *
 * <p>Admission is exact under concurrency: each bucket's take is one atomic operation (Bucket4j's
 * lock-free compare-and-set), a payer's takes (own limit, then the node's) happen inside the map's
 * per-key compute so an idle bucket cannot be swapped for a fresh one mid-take, and the payer's token
 * is given back there when the node refuses. Time is the application clock, so tests that hold the clock still
 * get no refill and can count admissions exactly.
 */
@Component
public class PaymentAdmission implements MeterBinder {

    private final ConcurrentMap<Long, Bucket> users = new ConcurrentHashMap<>();
    private final Bucket node;
    private final Semaphore inFlight;
    private final TimeMeter time;
    private final long perUser;
    private final Duration perUserPeriod;
    private final int inFlightLimit;
    /** Refusals by the limit that refused: what an operator watches on a festival night (telehall.payments.refused). */
    private final Map<PaymentsBusyException.Limit, AtomicLong> refused = new EnumMap<>(PaymentsBusyException.Limit.class);

    PaymentAdmission(Clock clock,
                     @Value("${telehall.payments.surge.per-user:10}") long perUser,
                     @Value("${telehall.payments.surge.per-user-period:1m}") Duration perUserPeriod,
                     @Value("${telehall.payments.surge.node:300}") long node,
                     @Value("${telehall.payments.surge.node-period:1s}") Duration nodePeriod,
                     @Value("${telehall.payments.surge.in-flight:32}") int inFlight) {
        if (perUser < 1 || node < 1 || inFlight < 1 || perUserPeriod.isNegative() || perUserPeriod.isZero()
                || nodePeriod.isNegative() || nodePeriod.isZero()) {
            throw new IllegalArgumentException("telehall.payments.surge limits and periods must be positive");
        }
        this.time = new ClockTime(clock);
        this.perUser = perUser;
        this.perUserPeriod = perUserPeriod;
        this.node = Bucket.builder().addLimit(l -> l.capacity(node).refillGreedy(node, nodePeriod)).withCustomTimePrecision(time).build();
        this.inFlight = new Semaphore(inFlight);
        this.inFlightLimit = inFlight;
        for (PaymentsBusyException.Limit limit : PaymentsBusyException.Limit.values()) {
            refused.put(limit, new AtomicLong());
        }
    }

    /** A place among the orders being created; closing it gives the place back. */
    public interface Ticket extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Takes a place for one new payment order of this payer, or refuses with the time to wait.
     * Use with try-with-resources around the creation.
     */
    public Ticket admit(long payerUserId) {
        if (!inFlight.tryAcquire()) {
            throw refuse(PaymentsBusyException.Limit.IN_FLIGHT, Duration.ofSeconds(1));
        }
        try {
            // both takes inside the payer's compute: the payer's other requests never see a token that is
            // taken only to be given back, so the limit named in a refusal is the one really reached
            ConsumptionProbe[] probes = new ConsumptionProbe[2];
            users.compute(payerUserId, (id, b) -> {
                Bucket bucket = b != null ? b : userBucket();
                probes[0] = bucket.tryConsumeAndReturnRemaining(1);
                if (probes[0].isConsumed()) {
                    probes[1] = node.tryConsumeAndReturnRemaining(1);
                    if (!probes[1].isConsumed()) {
                        bucket.addTokens(1);   // the payer did not get an order, so their turn is not used up
                    }
                }
                return bucket;
            });
            if (!probes[0].isConsumed()) {
                throw refuse(PaymentsBusyException.Limit.USER, Duration.ofNanos(probes[0].getNanosToWaitForRefill()));
            }
            if (!probes[1].isConsumed()) {
                throw refuse(PaymentsBusyException.Limit.NODE, Duration.ofNanos(probes[1].getNanosToWaitForRefill()));
            }
        } catch (RuntimeException e) {
            inFlight.release();
            throw e;
        }
        boolean[] closed = new boolean[1];
        return () -> {
            if (!closed[0]) {
                closed[0] = true;
                inFlight.release();
            }
        };
    }

    private PaymentsBusyException refuse(PaymentsBusyException.Limit limit, Duration retryAfter) {
        refused.get(limit).incrementAndGet();
        return new PaymentsBusyException(limit, retryAfter);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        refused.forEach((limit, count) -> FunctionCounter.builder("telehall.payments.refused", count, AtomicLong::get)
                .tag("limit", limit.name().toLowerCase(Locale.ROOT))
                .description("new payment orders refused with 429 / the busy page, by the limit that refused them").register(registry));
        Gauge.builder("telehall.payments.in.flight", this, a -> a.inFlightLimit - a.inFlight.availablePermits())
                .description("payment orders being created now (at most telehall.payments.surge.in-flight)").register(registry);
    }

    /** Forgets payers whose bucket is full again (they have not paid lately), so the map holds only recent payers. */
    @Scheduled(fixedDelayString = "${telehall.payments.surge.forget-every:5m}")
    void forgetIdle() {
        for (Long id : users.keySet()) {
            users.computeIfPresent(id, (k, b) -> b.getAvailableTokens() >= perUser ? null : b);
        }
    }

    int payersRemembered() {
        return users.size();
    }

    private Bucket userBucket() {
        return Bucket.builder().addLimit(l -> l.capacity(perUser).refillGreedy(perUser, perUserPeriod)).withCustomTimePrecision(time).build();
    }

    /** Bucket4j's time from the application clock. */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            Instant now = clock.instant();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
