package org.telehall.invoicing.web;

import jakarta.servlet.http.HttpSession;
import java.util.Locale;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.billing.Bills;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.customer.LineSelection;
import org.telehall.identity.HallUser;
import org.telehall.invoicing.Dispute;
import org.telehall.invoicing.Disputes;
import org.telehall.shared.BusinessRuleException;
import org.telehall.usage.UsageType;

/** 费用争议: say what is wrong with a charge, see what the check found — a double refund, or the records behind it and a way to a person. */
@Controller
class DisputePagesController {

    private final Disputes disputes;
    private final LineSelection lineSelection;
    private final Customers customers;
    private final Bills bills;

    DisputePagesController(Disputes disputes, LineSelection lineSelection, Customers customers, Bills bills) {
        this.bills = bills;
        this.disputes = disputes;
        this.lineSelection = lineSelection;
        this.customers = customers;
    }

    @GetMapping("/disputes/new")
    String form(@AuthenticationPrincipal HallUser me, HttpSession session, @RequestParam(required = false) String month,
                @RequestParam(required = false) String type, @RequestParam(required = false) Long bill, Model model) {
        Line line = lineSelection.current(me.requireCustomerId(), session);
        if (bill != null) {
            model.addAttribute("bill", bills.get(me.requireCustomerId(), bill));
        }
        model.addAttribute("line", line);
        model.addAttribute("months", disputes.months());
        model.addAttribute("month", month);
        model.addAttribute("types", UsageType.values());
        model.addAttribute("type", type == null ? null : type.toUpperCase(Locale.ROOT));
        return "invoicing/dispute-new";
    }

    @PostMapping("/disputes")
    String open(@AuthenticationPrincipal HallUser me, HttpSession session, @RequestParam(defaultValue = "") String month,
                @RequestParam(defaultValue = "VOICE") String type, @RequestParam(defaultValue = "") String description,
                @RequestParam(required = false) Long bill, RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        Line line = lineSelection.current(customerId, session);
        try {
            UsageType category = UsageType.valueOf(type.trim().toUpperCase(Locale.ROOT));
            Disputes.Charge charge = bill != null ? disputes.billCharge(customerId, line.id(), category, bill)
                    : disputes.monthCharge(customerId, line.id(), category, month);
            Dispute d = disputes.open(customerId, charge, description).dispute();
            return "redirect:/disputes/" + d.id();
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
            redirect.addFlashAttribute("errorArgs", e.args());
            redirect.addFlashAttribute("description", description);
            return "redirect:/disputes/new?" + (bill != null ? "bill=" + bill : "month=" + month) + "&type=" + type;
        }
    }

    @GetMapping("/disputes/{id}")
    String dispute(@AuthenticationPrincipal HallUser me, @PathVariable long id, Model model) {
        long customerId = me.requireCustomerId();
        Dispute d = disputes.get(customerId, id);
        model.addAttribute("dispute", d);
        model.addAttribute("line", customers.lineOf(customerId, d.lineId()));
        return "invoicing/dispute";
    }

    @PostMapping("/disputes/{id}/escalation")
    String escalate(@AuthenticationPrincipal HallUser me, @PathVariable long id, RedirectAttributes redirect) {
        try {
            disputes.escalate(me.requireCustomerId(), id);
            redirect.addFlashAttribute("notice", "invoicing.dispute.escalated");
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
        }
        return "redirect:/disputes/" + id;
    }
}
