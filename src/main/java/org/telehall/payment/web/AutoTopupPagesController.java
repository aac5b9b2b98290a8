package org.telehall.payment.web;

import java.time.YearMonth;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.customer.Customers;
import org.telehall.identity.HallUser;
import org.telehall.ledger.Ledger;
import org.telehall.payment.AutoTopups;
import org.telehall.payment.PaymentMethod;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;

/** {@code /topup/auto}: the customer's auto top-up rule — set it up, change it, stop it — and what it has done. */
@Controller
class AutoTopupPagesController {

    private final AutoTopups autoTopups;
    private final Customers customers;
    private final Ledger ledger;

    AutoTopupPagesController(AutoTopups autoTopups, Customers customers, Ledger ledger) {
        this.autoTopups = autoTopups;
        this.customers = customers;
        this.ledger = ledger;
    }

    @GetMapping("/topup/auto")
    String page(@AuthenticationPrincipal HallUser me, Model model) {
        long customerId = me.requireCustomerId();
        var rule = autoTopups.ruleOf(customerId);
        YearMonth month = autoTopups.thisMonth();
        model.addAttribute("rule", rule.orElse(null));
        model.addAttribute("fired", rule.map(r -> autoTopups.firedIn(r.id(), month)).orElse(0));
        model.addAttribute("runs", autoTopups.runsOf(customerId, 10));
        model.addAttribute("lines", customers.linesOf(customerId));
        model.addAttribute("balance", ledger.balanceOf(customerId));
        model.addAttribute("methods", PaymentMethod.values());
        model.addAttribute("minThreshold", AutoTopups.MIN_THRESHOLD);
        model.addAttribute("maxThreshold", AutoTopups.MAX_THRESHOLD);
        model.addAttribute("minAmount", AutoTopups.MIN_AMOUNT);
        model.addAttribute("maxAmount", AutoTopups.MAX_AMOUNT);
        model.addAttribute("maxTimes", AutoTopups.MAX_TIMES);
        return "payment/auto";
    }

    @PostMapping("/topup/auto")
    String save(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String msisdn, @RequestParam(defaultValue = "") String threshold,
                @RequestParam(defaultValue = "") String amount, @RequestParam(defaultValue = "0") int times,
                @RequestParam(defaultValue = "alipay") String method, @RequestParam(defaultValue = "false") boolean consent,
                RedirectAttributes redirect) {
        if (!consent) {
            redirect.addFlashAttribute("error", "auto.consent-needed");
            return "redirect:/topup/auto";
        }
        Money below;
        Money topUp;
        try {
            below = Money.parseYuan(threshold);
            topUp = Money.parseYuan(amount);
        } catch (IllegalArgumentException e) {
            redirect.addFlashAttribute("error", "payment.bad-amount");
            return "redirect:/topup/auto";
        }
        try {
            autoTopups.save(new AutoTopups.Setup(me.requireCustomerId(), me.userId(), msisdn, below, topUp, times, PaymentMethod.ofSlug(method)));
            redirect.addFlashAttribute("notice", "auto.saved");
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
            redirect.addFlashAttribute("errorArgs", e.args());
        }
        return "redirect:/topup/auto";
    }

    @PostMapping("/topup/auto/cancel")
    String cancel(@AuthenticationPrincipal HallUser me, RedirectAttributes redirect) {
        autoTopups.cancel(me.requireCustomerId());
        redirect.addFlashAttribute("notice", "auto.cancelled");
        return "redirect:/topup/auto";
    }
}
