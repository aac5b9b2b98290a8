package org.telehall.payment.web;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
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
import org.telehall.identity.HallUser;
import org.telehall.payment.Reconciliation;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.NotFoundException;

/** Staff see the reconciliation runs and each run's mismatches with what was done, and start a run for a day. */
@Controller
@RequestMapping("/agent/reconciliation")
class AgentReconciliationController {

    private final Reconciliation reconciliation;

    AgentReconciliationController(Reconciliation reconciliation) {
        this.reconciliation = reconciliation;
    }

    @GetMapping
    String runs(Model model) {
        model.addAttribute("runs", reconciliation.recentRuns(60));
        model.addAttribute("today", reconciliation.today());
        return "payment/recon-runs";
    }

    @PostMapping
    String run(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String day, RedirectAttributes redirect) {
        LocalDate date;
        try {
            date = day.isBlank() ? reconciliation.today() : LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            redirect.addFlashAttribute("error", "recon.bad-day");
            return "redirect:/agent/reconciliation";
        }
        try {
            List<Reconciliation.Run> runs = reconciliation.reconcile(date, me.username());
            if (runs.isEmpty()) {
                redirect.addFlashAttribute("error", "recon.running");
            } else {
                redirect.addFlashAttribute("notice", "recon.done");
            }
        } catch (BusinessRuleException e) {
            redirect.addFlashAttribute("error", e.code());
        }
        return "redirect:/agent/reconciliation";
    }

    @GetMapping("/{id}")
    String run(@PathVariable long id, Model model) {
        model.addAttribute("run", reconciliation.run(id).orElseThrow(() -> new NotFoundException("no reconciliation run " + id)));
        model.addAttribute("mismatches", reconciliation.mismatchesOf(id));
        return "payment/recon-run";
    }
}
