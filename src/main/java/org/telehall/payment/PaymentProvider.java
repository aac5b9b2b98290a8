package org.telehall.payment;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.telehall.shared.Money;

/**
 * One payment provider (Alipay, WeChat Pay, UnionPay). The demo and the tests use the simulators in
 * {@code payment.simulator}; a real adapter wraps the provider's SDK behind the same calls
 * (checkout, notification check, order query, refund, settlement file) and is chosen by configuration:
 * {@code telehall.payments.simulator=false} turns the simulators off, and any {@code PaymentProvider} bean
 * serves its {@link #method()}.
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

    /** A withholding agreement (代扣协议: Alipay's 商户代扣, WeChat Pay's 委托代扣) the payer signed: its number at the provider. */
    record Agreement(String agreementNo) {
    }

    /**
     * Signs the payer up for withholding, so the merchant may later collect agreed amounts without a
     * page. A real provider has the payer confirm on its own page first; the simulator signs at once.
     */
    default Agreement signAgreement(String payerRef) {
        throw new UnsupportedOperationException(method() + " offers no withholding here");
    }

    /** Ends an agreement; collecting under it is refused from then on. */
    default void unsignAgreement(String agreementNo) {
        throw new UnsupportedOperationException(method() + " offers no withholding here");
    }

    /** What the provider answered to a withholding: accepted (its signed notification follows, as for any payment) or refused, and why. */
    record Withholding(boolean accepted, String reason) {
    }

    /**
     * Collects an order already made by {@link #checkout} under an agreement, without a page.
     * Idempotent per order: asking again collects nothing more.
     */
    default Withholding withhold(String agreementNo, String outTradeNo, Money amount) {
        return new Withholding(false, "NOT_SUPPORTED");
    }

    /** Settlement days are calendar days in Beijing time, as the providers' bills are. */
    ZoneId SETTLEMENT_ZONE = ZoneId.of("Asia/Shanghai");

    /** One line of a settlement file: money the provider took for an order, or gave back. */
    record SettlementLine(String tradeNo, String outTradeNo, Type type, Money amount, Instant at, String refundNo) {
        public enum Type { PAYMENT, REFUND }
    }

    /** The provider's settlement file for one day: its name and checksum as downloaded, and its lines. */
    record SettlementFile(LocalDate day, String name, String sha256, List<SettlementLine> lines) {
    }

    /**
     * The day's settlement file (Alipay's bill download, WeChat Pay's downloadbill): every payment and
     * refund the provider booked that day by its own books. For a day not over yet, what it has so far.
     */
    SettlementFile settlementFile(LocalDate day);
}
