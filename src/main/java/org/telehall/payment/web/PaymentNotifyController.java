package org.telehall.payment.web;

import java.util.Map;
import java.util.Optional;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.identity.Audit;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.PaymentProvider;
import org.telehall.payment.Payments;

/**
 * Where providers send their asynchronous notifications. Nothing here is trusted until the
 * provider's signature checks out; then the order is settled, which credits it at most once. The
 * answer is the providers' convention: "success" stops their retries, anything else asks for another.
 */
@RestController
class PaymentNotifyController {

    private final Payments payments;
    private final Audit audit;

    PaymentNotifyController(Payments payments, Audit audit) {
        this.payments = payments;
        this.audit = audit;
    }

    @PostMapping(path = "/api/v1/payments/notify/{provider}", consumes = MediaType.APPLICATION_FORM_URLENCODED_VALUE,
            produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> notify(@PathVariable String provider, @RequestParam Map<String, String> params) {
        PaymentMethod method;
        try {
            method = PaymentMethod.ofSlug(provider);
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().body("fail");
        }
        Optional<PaymentProvider.Notification> notification = payments.provider(method).verify(params);
        if (notification.isEmpty()) {
            audit.record(provider, "payment.bad-signature", params.get("out_trade_no"), null);
            return ResponseEntity.badRequest().body("fail");
        }
        PaymentProvider.Notification n = notification.get();
        if (!n.paid()) {
            return ResponseEntity.ok("success");
        }
        return switch (payments.settle(method, n.outTradeNo(), n.tradeNo(), n.amount(), "notify")) {
            case CREDITED, ALREADY_CREDITED -> ResponseEntity.ok("success");
            case AMOUNT_MISMATCH, UNKNOWN_ORDER -> ResponseEntity.badRequest().body("fail");
        };
    }
}
