package org.telehall.payment;

import java.time.Instant;
import org.telehall.shared.Money;

/** A paid payment was given back: the credit reversed through the journal and the provider refunded. Published once. */
public record PaymentRefunded(long paymentId, long payerCustomerId, long targetCustomerId, String purpose, String reference, Money amount,
                              String refundNo, Instant at) {
}
