package org.telehall.payment.web;

import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.util.Locale;
import java.util.UUID;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.customer.Customers;
import org.telehall.customer.LineSelection;
import org.telehall.identity.HallUser;
import org.telehall.ledger.Ledger;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentAdmission;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.PaymentProvider;
import org.telehall.payment.Payments;
import org.telehall.payment.PaymentsBusyException;
import org.telehall.platform.QrCode;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;

/**
 * The top-up page, the payment page that follows the provider's answer, and payment history. The
 * form carries an idempotency key made when the page was drawn, so a double tap or a resubmission
 * finds the same order instead of making a second one. Under surge a new order may have to wait
 * ({@link PaymentAdmission}): the person then sees a calm page that offers the same form again.
 */
@Controller
class TopupPagesController {

    private final Payments payments;
    private final LineSelection lineSelection;
    private final Customers customers;
    private final Ledger ledger;
    private final PaymentAdmission admission;

    TopupPagesController(Payments payments, LineSelection lineSelection, Customers customers, Ledger ledger, PaymentAdmission admission) {
        this.payments = payments;
        this.admission = admission;
        this.lineSelection = lineSelection;
        this.customers = customers;
        this.ledger = ledger;
    }

    @GetMapping("/topup")
    String page(@AuthenticationPrincipal HallUser me, HttpSession session, Model model) {
        long customerId = me.requireCustomerId();
        model.addAttribute("line", lineSelection.current(customerId, session));
        model.addAttribute("lines", customers.linesOf(customerId));
        model.addAttribute("balance", ledger.balanceOf(customerId));
        model.addAttribute("presets", Payments.PRESETS_YUAN);
        model.addAttribute("methods", PaymentMethod.values());
        model.addAttribute("min", Payments.MIN);
        model.addAttribute("max", Payments.MAX);
        model.addAttribute("key", UUID.randomUUID().toString());
        return "payment/topup";
    }

    @PostMapping("/topup")
    String topup(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String msisdn,
                 @RequestParam(defaultValue = "") String amount, @RequestParam(defaultValue = "") String custom,
                 @RequestParam(defaultValue = "alipay") String method, @RequestParam(defaultValue = "") String key,
                 RedirectAttributes redirect, Model model, HttpServletResponse response) {
        String yuan = !custom.isBlank() ? custom : amount;
        Money money;
        try {
            money = Money.parseYuan(yuan);
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", "payment.bad-amount");
            return "redirect:/topup";
        }
        String idempotencyKey = key.isBlank() ? UUID.randomUUID().toString() : key;
        try (PaymentAdmission.Ticket admitted = admission.admit(me.userId())) {
            Payments.Created created = payments.createTopup(new Payments.TopupRequest(me.requireCustomerId(), me.userId(), msisdn, money,
                    PaymentMethod.ofSlug(method), "WEB", idempotencyKey));
            if (created.payment().status() != org.telehall.payment.PaymentStatus.PENDING) {
                return "redirect:/payments/" + created.payment().id();
            }
            return "redirect:" + payUrl(created.checkout(), created.payment().id());
        } catch (PaymentsBusyException e) {
            // answered on the spot (no redirect): the same form again, under the same key, once the wait is over
            response.setStatus(HttpStatus.TOO_MANY_REQUESTS.value());
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            model.addAttribute("retryAfter", e.retryAfterSeconds());
            model.addAttribute("msisdn", msisdn);
            model.addAttribute("shownNumber", Msisdn.maskNumber(msisdn.replaceAll("[\\s-]", "")));
            model.addAttribute("amount", money.display());
            model.addAttribute("yuan", yuan);
            model.addAttribute("method", method);
            model.addAttribute("key", idempotencyKey);
            return "payment/busy";
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
            redirect.addFlashAttribute("errorArgs", e.args());
            return "redirect:/topup";
        }
    }

    @GetMapping("/payments")
    String history(@AuthenticationPrincipal HallUser me, Model model) {
        model.addAttribute("payments", payments.ofPayer(me.requireCustomerId(), 0, 50));
        return "payment/history";
    }

    @GetMapping("/payments/{id}")
    String payment(@AuthenticationPrincipal HallUser me, @PathVariable long id, Model model) {
        Payment payment = payments.get(me.requireCustomerId(), id);
        model.addAttribute("payment", payment);
        // not paid yet: pay it now, or let another phone scan it (a son or daughter paying for a parent, 代付)
        payments.checkoutOf(payment).ifPresent(checkout -> {
            model.addAttribute("payUrl", payUrl(checkout, payment.id()));
            model.addAttribute("qr", QrCode.svg(checkout.qrContent()));
        });
        return "payment/payment";
    }

    /** The provider's page for the order, which sends the payer back to the order's own page when done. */
    private static String payUrl(PaymentProvider.Checkout checkout, long paymentId) {
        return checkout.payUrl() + "?return=/payments/" + paymentId;
    }

    /** The receipt as a PDF, for the payer only; a payment not (yet) credited has none and leads back to its page. */
    @GetMapping("/payments/{id}/receipt.pdf")
    Object receipt(@AuthenticationPrincipal HallUser me, @PathVariable long id, Locale locale) {
        Payments.Receipt receipt;
        try {
            receipt = payments.receipt(me.requireCustomerId(), id, locale);
        } catch (BusinessRuleException e) {
            return "redirect:/payments/" + id;
        }
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_PDF)
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(receipt.filename()).build().toString())
                .header(HttpHeaders.CACHE_CONTROL, "private, no-store")
                .body(receipt.pdf());
    }

    /** The status alone, for the page to refresh until the provider's word arrives. */
    @GetMapping("/payments/{id}/status")
    String status(@AuthenticationPrincipal HallUser me, @PathVariable long id, Model model) {
        model.addAttribute("payment", payments.get(me.requireCustomerId(), id));
        return "payment/payment :: status";
    }
}
