package org.telehall.ledger;

import java.time.Instant;
import org.telehall.shared.Money;

/**
 * Money came into a customer's account (a top-up, refund or adjustment), published inside the
 * credit's transaction each time a credit is applied; a replayed business key publishes nothing.
 * Listeners that must act with the credit (restoring a line suspended for arrears) use a plain
 * {@code @EventListener}; those that tell someone use an after-commit listener.
 */
public record AccountCredited(long customerId, Money amount, Money balanceAfter, String businessKey, String reasonCode,
                              Instant at) {
}
