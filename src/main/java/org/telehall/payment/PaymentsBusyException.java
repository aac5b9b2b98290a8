package org.telehall.payment;

import java.time.Duration;

/**
 * No new payment order now: the payer has started too many in a short time, or the node is taking
 * in as many as it can. Nothing was created and no money moved; {@link #retryAfter} says when to try again.
 */
public class PaymentsBusyException extends RuntimeException {

    /** Which limit said no. */
    public enum Limit { USER, NODE, IN_FLIGHT }

    private final Limit limit;
    private final Duration retryAfter;

    public PaymentsBusyException(Limit limit, Duration retryAfter) {
        // no stack trace: under surge most requests to create a payment end here, always refused at the same place
        super("payments busy (" + limit + "), retry after " + retryAfter.toSeconds() + " s", null, false, false);
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    public Limit limit() {
        return limit;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Whole seconds for a Retry-After header, at least one. */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }
}
