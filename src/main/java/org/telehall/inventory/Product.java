package org.telehall.inventory;

import java.time.Instant;
import org.telehall.catalog.OfferingKind;
import org.telehall.shared.Money;

/**
 * One thing a line holds. {@code endsAt} is a pack's expiry; {@code trialEndsAt} the end of a
 * service's free trial; {@code recurringFee} the monthly price agreed when it was subscribed.
 */
public record Product(long id, long customerId, long lineId, String offeringId, OfferingKind kind,
                      ProductStatus status, Instant startedAt, Instant endsAt, Instant trialEndsAt,
                      boolean autoRenew, Money recurringFee, Money oneTimeFee) {

    public boolean inTrial(Instant now) {
        return trialEndsAt != null && trialEndsAt.isAfter(now);
    }
}
