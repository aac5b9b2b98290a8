package org.telehall.payment;

import java.time.Instant;
import org.telehall.shared.Money;

/**
 * A payment's money arrived and was credited to {@code targetCustomerId}'s account, published once,
 * inside the settling transaction. {@code purpose} is TOPUP or BILL; for a bill, {@code reference}
 * is the bill it pays. Invoicing records the top-up as invoiceable within that transaction; billing
 * checks there whether the account has an open postpaid bill and, only then, settles it after commit.
 */
public record PaymentSettled(long paymentId, long payerCustomerId, long targetCustomerId, String msisdn, String purpose,
                             String reference, Money amount, PaymentMethod method, Instant at) {
}
