package org.telehall.ledger.web;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.telehall.identity.HallUser;
import org.telehall.ledger.Ledger;

/** Balance history: every movement on the customer's account, with reason and running balance. */
@Controller
class BalanceHistoryController {

    static final int PAGE_SIZE = 20;

    private final Ledger ledger;

    BalanceHistoryController(Ledger ledger) {
        this.ledger = ledger;
    }

    @GetMapping("/balance")
    String history(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "0") int page, Model model) {
        long customerId = me.requireCustomerId();
        int safePage = Math.max(0, page);
        long total = ledger.historySize(customerId);
        model.addAttribute("balance", ledger.balanceOf(customerId));
        model.addAttribute("movements", ledger.history(customerId, safePage * PAGE_SIZE, PAGE_SIZE));
        model.addAttribute("page", safePage);
        model.addAttribute("hasNext", (long) (safePage + 1) * PAGE_SIZE < total);
        model.addAttribute("total", total);
        return "ledger/history";
    }
}
