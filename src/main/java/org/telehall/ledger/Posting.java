package org.telehall.ledger;

import org.telehall.shared.Money;

/**
 * A request to move money on a customer's account. {@code businessKey} makes it idempotent: the
 * same key posts once, whatever the retries. {@code reasonCode} is one of {@link ReasonCodes}.
 */
public record Posting(long customerId, Money amount, String businessKey, String reasonCode, String reasonText) {

    public Posting {
        if (amount == null || !amount.isPositive()) {
            throw new IllegalArgumentException("a posting moves a positive amount, was " + amount);
        }
        if (businessKey == null || businessKey.isBlank() || businessKey.length() > 120) {
            throw new IllegalArgumentException("a posting needs a business key of 1–120 characters: " + businessKey);
        }
    }
}
