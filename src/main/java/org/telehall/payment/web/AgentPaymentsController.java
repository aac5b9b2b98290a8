package org.telehall.payment.web;

import java.util.List;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.identity.Audit;
import org.telehall.identity.HallUser;
import org.telehall.payment.Payment;
import org.telehall.payment.Payments;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;

/**
 * Staff (agent or admin; {@code /agent/**} is theirs) find a payment by order number or phone number,
 * follow its timeline and refund it with a reason. Every look-up and refund is in the audit trail.
 */
@Controller
@RequestMapping("/agent/payments")
class AgentPaymentsController {

    private final Payments payments;
    private final Audit audit;

    AgentPaymentsController(Payments payments, Audit audit) {
        this.payments = payments;
        this.audit = audit;
    }

    @GetMapping
    String search(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String q, Model model) {
        String query = q.strip().replaceAll("[\\s-]", "");
        model.addAttribute("q", query);
        if (query.isEmpty()) {
            return "payment/agent-payments";
        }
        List<Payment> found;
        if (query.matches("(?i)TH\\d{1,18}") || query.matches("\\d{1,10}")) {
            long id = Long.parseLong(query.replaceAll("(?i)TH", ""));
            found = payments.findForStaff(id).map(List::of).orElse(List.of());
        } else if (Msisdn.isValid(query)) {
            found = payments.forNumber(query, 50);
        } else {
            model.addAttribute("error", "agent.payments.bad-query");
            return "payment/agent-payments";
        }
        audit.record(me.username(), "payment.lookup", query.length() == 11 ? Msisdn.maskNumber(query) : query, null);
        model.addAttribute("payments", found);
        return "payment/agent-payments";
    }

    @GetMapping("/{id}")
    String payment(@AuthenticationPrincipal HallUser me, @PathVariable long id, Model model) {
        model.addAttribute("payment", payments.findForStaff(id).orElseThrow(() -> new NotFoundException("no payment " + id)));
        audit.record(me.username(), "payment.view", "payment:" + id, null);
        return "payment/agent-payment";
    }

    @PostMapping("/{id}/refund")
    String refund(@AuthenticationPrincipal HallUser me, @PathVariable long id, @RequestParam(defaultValue = "") String reason,
                  RedirectAttributes redirect) {
        try {
            payments.refund(id, me.username(), reason);
            redirect.addFlashAttribute("notice", "agent.payments.refunded");
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
            redirect.addFlashAttribute("errorArgs", e.args());
        }
        return "redirect:/agent/payments/" + id;
    }
}
