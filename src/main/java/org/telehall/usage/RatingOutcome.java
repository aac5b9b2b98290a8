package org.telehall.usage;

import org.telehall.shared.Money;

/**
 * What became of one submitted record: RATED (charged {@code charge}, possibly nothing), DUPLICATE
 * (this network id was rated before; nothing changed) or REJECTED with a {@code reason} code from
 * {@link Rejection}.
 */
public record RatingOutcome(String networkId, Status status, String reason, Money charge) {

    public enum Status {
        RATED, DUPLICATE, REJECTED
    }

    static RatingOutcome rated(String networkId, long chargeFen) {
        return new RatingOutcome(networkId, Status.RATED, null, Money.ofFen(chargeFen));
    }

    static RatingOutcome duplicate(String networkId) {
        return new RatingOutcome(networkId, Status.DUPLICATE, null, null);
    }

    static RatingOutcome rejected(String networkId, Rejection reason) {
        return new RatingOutcome(networkId, Status.REJECTED, reason.code(), null);
    }

    public boolean accepted() {
        return status != Status.REJECTED;
    }
}
