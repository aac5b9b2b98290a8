package org.telehall.ordering;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * A stand-in for the operator's provisioning system, with its habits: it takes a while to answer,
 * sometimes fails for a moment, and remembers what it already did so a retried order is applied
 * once. Tests and demos can make a number fail the next n times, or always.
 */
@Component
public class SimulatedNetwork implements NetworkProvisioning {

    private final Duration latency;
    private final Map<String, AtomicInteger> failNext = new ConcurrentHashMap<>();
    private final Set<String> failAlways = ConcurrentHashMap.newKeySet();
    private final Set<Long> applied = ConcurrentHashMap.newKeySet();

    SimulatedNetwork(@Value("${telehall.network.simulator.latency:200ms}") Duration latency) {
        this.latency = latency;
    }

    @Override
    public Result provision(Request request) {
        try {
            Thread.sleep(latency.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(Outcome.TEMPORARY_FAILURE, "interrupted");
        }
        if (failAlways.contains(request.msisdn())) {
            return new Result(Outcome.TEMPORARY_FAILURE, "network element did not answer (simulated)");
        }
        AtomicInteger pending = failNext.get(request.msisdn());
        if (pending != null && pending.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return new Result(Outcome.TEMPORARY_FAILURE, "network element busy (simulated)");
        }
        applied.add(request.orderId());
        return Result.done();
    }

    /** The next {@code times} requests for this number fail for a moment. */
    public void failNext(String msisdn, int times) {
        failNext.computeIfAbsent(msisdn, k -> new AtomicInteger()).set(times);
    }

    /** Every request for this number fails until {@link #heal} (a broken network element). */
    public void failAlways(String msisdn) {
        failAlways.add(msisdn);
    }

    public void heal(String msisdn) {
        failAlways.remove(msisdn);
        failNext.remove(msisdn);
    }

    public boolean hasApplied(long orderId) {
        return applied.contains(orderId);
    }
}
