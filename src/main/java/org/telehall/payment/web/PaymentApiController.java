package org.telehall.payment.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.security.access.AccessDeniedException;
import org.telehall.identity.HallUser;
import org.telehall.identity.Role;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentAdmission;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.Payments;
import org.telehall.payment.PaymentsBusyException;
import org.telehall.platform.Problems;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;
import org.telehall.shared.Money;

/** Top-ups through the API, and the customer's payments in the TMF676 shape. */
@RestController
@Tag(name = "payment", description = "Top-ups (idempotent) and TMF676 payments")
class PaymentApiController {

    static final String TMF = "/tmf-api/paymentManagement/v4/payment";

    record TopupRequest(String msisdn, Tmf.Amount amount, String method) {
    }

    record TopupView(String id, String status, String msisdn, Tmf.Amount amount, String method, String payUrl, String qrContent,
                     String paymentHref) {
    }

    record PaymentView(String id, String href, String status, Instant authorizationDate, Instant statusDate, String correlatorId,
                       Tmf.Amount totalAmount, Tmf.Ref paymentMethod, Tmf.Ref account, String description,
                       List<Payment.Event> timeline, @JsonProperty("@type") String type) {
    }

    private final Payments payments;
    private final PaymentAdmission admission;

    PaymentApiController(Payments payments, PaymentAdmission admission) {
        this.payments = payments;
        this.admission = admission;
    }

    /** Too many new orders at once: 429 with Retry-After; nothing was created, so the same request may simply be sent again later. */
    @ExceptionHandler(PaymentsBusyException.class)
    ResponseEntity<ProblemDetail> busy(PaymentsBusyException e) {
        ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "payments-busy", "Too many payments at once", switch (e.limit()) {
            case USER -> "too many new payments from this account just now; nothing was created or charged, retry after the time given";
            case NODE, IN_FLIGHT -> "the hall is taking in as many payments as it can; nothing was created or charged, retry after the time given";
        });
        problem.setProperty("code", "payment.busy");
        problem.setProperty("limit", e.limit().name().toLowerCase(Locale.ROOT));
        problem.setProperty("retryAfterSeconds", e.retryAfterSeconds());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).header(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()))
                .contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    @PostMapping("/api/v1/topups")
    @Operation(summary = "Create a top-up payment order for any line of the operator; the Idempotency-Key header makes retries return the same order "
            + "(the same key with a different request is 422). Under surge: 429 problem details with Retry-After, nothing created")
    ResponseEntity<TopupView> topup(@AuthenticationPrincipal HallUser me, @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                    @RequestBody TopupRequest body) {
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("the Idempotency-Key header is required");
        }
        if (body == null || body.amount() == null || body.amount().value() == null || body.method() == null) {
            throw new IllegalArgumentException("msisdn, amount {unit, value} and method are required");
        }
        Money amount = body.amount().toMoney();
        Payments.Created created;
        try (PaymentAdmission.Ticket admitted = admission.admit(me.userId())) {
            created = payments.createTopup(new Payments.TopupRequest(me.requireCustomerId(), me.userId(), body.msisdn(), amount,
                    PaymentMethod.ofSlug(body.method()), "API", key.trim()));
        }
        Payment p = created.payment();
        TopupView view = new TopupView(Long.toString(p.id()), p.status().name().toLowerCase(Locale.ROOT), p.msisdn().masked(),
                Tmf.Amount.of(p.amount()), p.method().slug(), created.checkout().payUrl(), created.checkout().qrContent(),
                Tmf.href(TMF + "/" + p.id()));
        return created.replayed() ? ResponseEntity.ok(view) : ResponseEntity.created(URI.create(Tmf.href(TMF + "/" + p.id()))).body(view);
    }

    @GetMapping(TMF)
    @Operation(summary = "The signed-in customer's payments, newest first")
    ResponseEntity<List<PaymentView>> list(@AuthenticationPrincipal HallUser me, @RequestParam(required = false) Integer offset,
                                           @RequestParam(required = false) Integer limit) {
        TmfList.Window window = TmfList.window(offset, limit);
        long customerId = me.requireCustomerId();
        return TmfList.of(payments.ofPayer(customerId, window.offset(), window.limit()).stream().map(PaymentApiController::view).toList(),
                payments.countOf(customerId));
    }

    @GetMapping(TMF + "/{id}")
    @Operation(summary = "One payment with its timeline; another customer's id is 404")
    PaymentView one(@AuthenticationPrincipal HallUser me, @PathVariable long id) {
        return view(payments.get(me.requireCustomerId(), id));
    }

    record RefundRequest(String reason) {
    }

    @PostMapping("/api/v1/payments/{id}/refund")
    @Operation(summary = "Staff (agent or admin token): refund a paid payment in full with a reason; the credit is reversed through the journal "
            + "and the provider refunds the payer. Repeating it answers the refunded payment; a balance that no longer covers it is 422")
    PaymentView refund(@AuthenticationPrincipal HallUser me, @PathVariable long id, @RequestBody(required = false) RefundRequest body) {
        if (me.role() != Role.AGENT && me.role() != Role.ADMIN) {
            throw new AccessDeniedException("refunds are for staff");
        }
        return view(payments.refund(id, me.username(), body == null ? null : body.reason()));
    }

    private static PaymentView view(Payment p) {
        return new PaymentView(Long.toString(p.id()), Tmf.href(TMF + "/" + p.id()), p.status().name().toLowerCase(Locale.ROOT), p.paidAt(),
                p.paidAt() != null ? p.paidAt() : p.createdAt(), p.outTradeNo(), Tmf.Amount.of(p.amount()),
                new Tmf.Ref(p.method().slug(), null, p.method().slug(), "PaymentMethod"),
                new Tmf.Ref(p.msisdn().masked(), null, p.msisdn().masked(), "BillingAccount"),
                p.purpose().toLowerCase(Locale.ROOT), p.timeline(), "Payment");
    }
}
