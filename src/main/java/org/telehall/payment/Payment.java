package org.telehall.payment;

import java.time.Instant;
import java.util.List;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;

/** A payment order with its timeline, oldest step first. {@code balanceAfter} is the target account's balance once credited. */
public record Payment(long id, long payerCustomerId, long payerUserId, long targetCustomerId, Msisdn msisdn, String purpose, String reference,
                      PaymentMethod method, String channel, Money amount, PaymentStatus status, String providerTradeNo,
                      Instant createdAt, Instant paidAt, Instant refundedAt, String refundReason, Money balanceAfter, List<Event> timeline) {

    public record Event(Instant at, String step, String detail) {
    }

    /** What the provider knows the order by. */
    public String outTradeNo() {
        return outTradeNo(id);
    }

    public static String outTradeNo(long id) {
        return "TH" + id;
    }

    /** Whether this pays a bill (then {@link #reference} is the bill) rather than topping up. */
    public boolean forBill() {
        return "BILL".equals(purpose);
    }

    /** Whether the money went to the payer's own account (then their new balance may be shown). */
    public boolean forOwnAccount() {
        return payerCustomerId == targetCustomerId;
    }
}
