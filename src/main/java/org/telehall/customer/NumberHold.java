package org.telehall.customer;

import java.time.Instant;
import org.telehall.shared.Msisdn;

/** A pool number kept for one customer until {@code until}, while their new-line order completes. */
public record NumberHold(Msisdn msisdn, long customerId, Instant until) {

    public boolean liveAt(Instant now) {
        return until.isAfter(now);
    }
}
