package org.telehall.hall;

import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.telehall.catalog.Catalog;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.customer.LineSelection;
import org.telehall.identity.HallUser;
import org.telehall.identity.Role;
import org.telehall.inventory.Inventory;
import org.telehall.ledger.Ledger;
import org.telehall.usage.Allowances;
import org.telehall.usage.UsageType;

/** The home page: the whole account at a glance, and the frequent actions one tap away. */
@Controller
class HomeController {

    private final Customers customers;
    private final LineSelection lineSelection;
    private final Ledger ledger;
    private final Allowances allowances;
    private final Inventory inventory;
    private final Catalog catalog;
    private final Clock clock;

    HomeController(Customers customers, LineSelection lineSelection, Ledger ledger, Allowances allowances,
                   Inventory inventory, Catalog catalog, Clock clock) {
        this.customers = customers;
        this.lineSelection = lineSelection;
        this.ledger = ledger;
        this.allowances = allowances;
        this.inventory = inventory;
        this.catalog = catalog;
        this.clock = clock;
    }

    @GetMapping("/")
    String home(@AuthenticationPrincipal HallUser me, HttpSession session, Model model) {
        if (me.role() != Role.SUBSCRIBER) {
            return "hall/staff-home";
        }
        long customerId = me.requireCustomerId();
        Customer customer = customers.get(customerId);
        var lines = customers.linesOf(customerId);
        Line line = lineSelection.pick(lines, session);
        var now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, Customer.ZONE);
        var allowance = allowances.summary(line.id(), now);
        model.addAttribute("customer", customer);
        model.addAttribute("line", line);
        model.addAttribute("lines", lines);
        model.addAttribute("balance", ledger.balanceOf(customerId));
        model.addAttribute("data", allowance.get(UsageType.DATA));
        model.addAttribute("voice", allowance.get(UsageType.VOICE));
        model.addAttribute("sms", allowance.get(UsageType.SMS));
        model.addAttribute("plan", inventory.planOf(line.id(), now).map(p -> catalog.get(p.offeringId())).orElse(null));
        model.addAttribute("daysToNextCycle", ChronoUnit.DAYS.between(today, customer.nextCycleStart(today)));
        model.addAttribute("nextCycle", customer.nextCycleStart(today));
        return "hall/home";
    }

    @GetMapping("/lines")
    String lines(@AuthenticationPrincipal HallUser me, HttpSession session, Model model) {
        long customerId = me.requireCustomerId();
        var now = clock.instant();
        model.addAttribute("current", lineSelection.current(customerId, session));
        model.addAttribute("lines", customers.linesOf(customerId).stream()
                .map(l -> new LineView(l, inventory.planOf(l.id(), now).map(p -> catalog.get(p.offeringId())).orElse(null)))
                .toList());
        return "hall/lines";
    }

    @PostMapping("/lines/{lineId}/select")
    String selectLine(@AuthenticationPrincipal HallUser me, @PathVariable long lineId, HttpSession session) {
        lineSelection.select(me.requireCustomerId(), lineId, session);
        return "redirect:/";
    }

    record LineView(Line line, org.telehall.catalog.Offering plan) {
    }
}
