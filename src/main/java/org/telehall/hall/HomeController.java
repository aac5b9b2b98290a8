package org.telehall.hall;

import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.telehall.catalog.Catalog;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.customer.LineSelection;
import org.telehall.identity.HallUser;
import org.telehall.identity.Role;
import org.telehall.inventory.Inventory;

/** The home page: the whole account at a glance, and the frequent actions one tap away. */
@Controller
class HomeController {

    private final AtAGlance atAGlance;
    private final Customers customers;
    private final LineSelection lineSelection;
    private final Inventory inventory;
    private final Catalog catalog;
    private final Clock clock;

    HomeController(AtAGlance atAGlance, Customers customers, LineSelection lineSelection, Inventory inventory,
                   Catalog catalog, Clock clock) {
        this.atAGlance = atAGlance;
        this.customers = customers;
        this.lineSelection = lineSelection;
        this.inventory = inventory;
        this.catalog = catalog;
        this.clock = clock;
    }

    @GetMapping("/")
    String home(@AuthenticationPrincipal HallUser me, HttpSession session, Model model) {
        if (me.role() != Role.SUBSCRIBER) {
            return "hall/staff-home";
        }
        var glance = atAGlance.of(me.requireCustomerId(), session);
        model.addAttribute("customer", glance.customer());
        model.addAttribute("line", glance.line());
        model.addAttribute("lines", glance.lines());
        model.addAttribute("balance", glance.balance());
        model.addAttribute("data", glance.data());
        model.addAttribute("voice", glance.voice());
        model.addAttribute("sms", glance.sms());
        model.addAttribute("plan", glance.plan());
        model.addAttribute("daysToNextCycle", glance.daysToNextCycle());
        model.addAttribute("nextCycle", glance.nextCycle());
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
