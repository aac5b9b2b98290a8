package org.telehall.payment;

import java.util.Map;
import java.util.Optional;
import org.telehall.shared.Money;

/**
 * One payment provider (Alipay, WeChat Pay, UnionPay). The demo and the tests use the simulators in
 * {@code payment.simulator}; a real adapter wraps the provider's SDK behind the same four calls.
 * Everything that comes back from a provider is untrusted until {@link #verify} accepts its signature.
 */
public interface PaymentProvider {

    PaymentMethod method();

    /** Where the customer pays: a page to redirect to, and the same as QR content for a phone to scan. */
    record Checkout(String payUrl, String qrContent) {
    }

    /** Asks the provider to collect the amount for the order; idempotent per order. */
    Checkout checkout(String outTradeNo, Money amount, String subject);

    /** A notification the provider sent, once its signature is verified: whose order, how much, whether paid. */
    record Notification(String outTradeNo, String tradeNo, Money amount, boolean paid, String notifyId) {
    }

    /** Verifies a notification's signature and reads it; empty when the signature or the shape is wrong. */
    Optional<Notification> verify(Map<String, String> params);

    /** The order as the provider sees it (the active query after a notification failed to come). */
    record TradeStatus(String tradeNo, Money amount, boolean paid) {
    }

    Optional<TradeStatus> query(String outTradeNo);

    /** What the provider answered to a refund request: refunded (now or before, under this request number) or refused, and why. */
    record Refund(boolean refunded, String refundNo, String reason) {
    }

    /**
     * Gives a paid order's whole amount back to the payer. Idempotent per {@code refundRequestNo}: asking
     * again with the same number answers the first result and moves no money twice.
     */
    Refund refund(String outTradeNo, String refundRequestNo, Money amount);
}
