package org.telehall.ledger;

import org.telehall.shared.Money;

/**
 * What {@link Ledger#chargeUsage} took: usage already delivered is charged as far as the account's
 * credit reaches; {@code shortfall} is what it could not take, and {@code creditExhausted} says the
 * balance now stands at the credit limit (the line must stop).
 */
public record UsageCharge(Money charged, Money shortfall, Money balanceAfter, boolean creditExhausted) {
}
