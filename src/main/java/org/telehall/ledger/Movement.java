package org.telehall.ledger;

import java.time.Instant;
import org.telehall.shared.Money;

/**
 * One line of a customer's balance history: what moved, why, and the balance right after.
 * {@code reasonCode} is a message key suffix (ledger.reason.TOPUP …) so pages can translate it.
 */
public record Movement(long entryId, Instant postedAt, Money amount, Money balanceAfter,
                       String kind, String reasonCode, String reasonText) {
}
