package org.telehall.ledger;

import java.time.Instant;
import org.telehall.shared.Money;

/**
 * Money left a customer's account (a fee, a pack, usage), published inside the charge's
 * transaction each time a charge is applied; a replayed business key publishes nothing. The
 * balance after it is what low-balance reminders and auto top-up rules look at.
 */
public record AccountDebited(long customerId, Money amount, Money balanceAfter, String businessKey, String reasonCode,
                             Instant at) {
}
