package org.telehall.payment.web;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.identity.HallUser;
import org.telehall.payment.AutoTopups;
import org.telehall.payment.PaymentMethod;
import org.telehall.platform.Problems;
import org.telehall.platform.Tmf;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;

/**
 * {@code /api/v1/auto-topup}: the signed-in customer's auto top-up rule (自动充值), the API twin of the
 * {@code /topup/auto} page. {@link AutoTopups} checks the rule; refusals are problem details in the
 * caller's language ({@code Accept-Language}), with the same message keys the page shows.
 */
@RestController
@Tag(name = "auto-topup", description = "The customer's auto top-up rule: below a balance, top up from a withholding agreement, at most N times a month")
class AutoTopupApiController {

    static final String PATH = "/api/v1/auto-topup";
    /** As many as the page lists. */
    private static final int LAST_RUNS = 10;

    record RuleRequest(String msisdn, Tmf.Amount threshold, Tmf.Amount amount, Integer maxPerMonth, String method, Boolean consent) {
    }

    record RunView(String month, int n, String status, Tmf.Amount balance, String paymentId, String paymentHref, Instant at) {
    }

    record RuleView(String msisdn, Tmf.Amount threshold, Tmf.Amount amount, int maxPerMonth, String method, boolean armed, int firedThisMonth,
                    List<RunView> runs) {
    }

    /** A request the rule cannot be read from; {@code code} is the message key that says why. */
    private static final class Unreadable extends RuntimeException {
        private final String code;

        Unreadable(String code, String message) {
            super(message);
            this.code = code;
        }
    }

    private final AutoTopups autoTopups;
    private final MessageSource messages;

    AutoTopupApiController(AutoTopups autoTopups, MessageSource messages) {
        this.autoTopups = autoTopups;
        this.messages = messages;
    }

    @GetMapping(PATH)
    @Operation(summary = "The customer's auto top-up rule, how often it fired this month and its last runs; 404 when there is none")
    RuleView rule(@AuthenticationPrincipal HallUser me) {
        return view(me.requireCustomerId());
    }

    @PutMapping(PATH)
    @Operation(summary = "Set up or replace the rule: msisdn (one of the customer's lines), threshold and amount {unit: CNY, value}, maxPerMonth, "
            + "method (alipay|wechat|unionpay) and consent: true to the withholding agreement (without it 400). Out-of-range values or another's "
            + "number are 422; a refused request changes nothing")
    RuleView save(@AuthenticationPrincipal HallUser me, @RequestBody RuleRequest body) {
        long customerId = me.requireCustomerId();
        // the customer agrees to withholding each time, as on the page
        if (!Boolean.TRUE.equals(body.consent())) {
            throw new Unreadable("auto.consent-needed", "consent: true is required: the customer agrees to a withholding agreement");
        }
        autoTopups.save(new AutoTopups.Setup(customerId, me.userId(), body.msisdn(), money(body.threshold()), money(body.amount()),
                body.maxPerMonth() == null ? 0 : body.maxPerMonth(), method(body.method())));
        return view(customerId);
    }

    @DeleteMapping(PATH)
    @Operation(summary = "Stop the rule and end its withholding agreement; 204 whether or not there was one")
    ResponseEntity<Void> cancel(@AuthenticationPrincipal HallUser me) {
        autoTopups.cancel(me.requireCustomerId());
        return ResponseEntity.noContent().build();
    }

    @ExceptionHandler(Unreadable.class)
    ProblemDetail unreadable(Unreadable e, Locale locale) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.code, null, e.getMessage(), locale);
    }

    /** The service's refusals (out of range, not the customer's line), said in the caller's language. */
    @ExceptionHandler(BusinessRuleException.class)
    ProblemDetail refused(BusinessRuleException e, Locale locale) {
        return problem(HttpStatus.UNPROCESSABLE_CONTENT, "Business rule not met", e.code(), e.args(), e.getMessage(), locale);
    }

    private ProblemDetail problem(HttpStatus status, String title, String code, Object[] args, String fallback, Locale locale) {
        ProblemDetail problem = Problems.of(status, code, title, messages.getMessage(code, args, fallback, locale));
        problem.setProperty("code", code);
        return problem;
    }

    /** Left out: null, which the service refuses as out of range. */
    private static Money money(Tmf.Amount amount) {
        try {
            return amount == null ? null : amount.toMoney();
        } catch (IllegalArgumentException e) {
            throw new Unreadable("payment.bad-amount", e.getMessage());
        }
    }

    private static PaymentMethod method(String slug) {
        try {
            return PaymentMethod.ofSlug(slug);
        } catch (IllegalArgumentException e) {
            throw new Unreadable("auto.method-unknown", e.getMessage());
        }
    }

    private RuleView view(long customerId) {
        AutoTopups.Overview overview = autoTopups.overviewOf(customerId, LAST_RUNS)
                .orElseThrow(() -> new NotFoundException("no auto top-up rule is set up"));
        AutoTopups.Rule r = overview.rule();
        List<RunView> runs = overview.lastRuns().stream().map(run -> new RunView(run.month(), run.n(), run.status().toLowerCase(Locale.ROOT),
                Tmf.Amount.of(run.balance()), run.paymentId() == null ? null : run.paymentId().toString(),
                run.paymentId() == null ? null : Tmf.href(PaymentApiController.TMF + "/" + run.paymentId()), run.at())).toList();
        return new RuleView(r.msisdn().value(), Tmf.Amount.of(r.threshold()), Tmf.Amount.of(r.amount()), r.maxPerMonth(), r.method().slug(),
                r.armed(), overview.firedThisMonth(), runs);
    }
}
