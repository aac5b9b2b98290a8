package org.telehall.hall;

import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.customer.Line;
import org.telehall.customer.LineSelection;
import org.telehall.identity.HallUser;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.usage.Allowances;
import org.telehall.usage.Bucket;

/** "My plan": what the plan includes, packs with their expiry, services with their monthly price. */
@Controller
class PlanController {

    /** A held product with its catalogue entry and, for packs, the bucket showing what is left. */
    record Held(Product product, Offering offering, Bucket bucket) {
    }

    private final LineSelection lineSelection;
    private final Inventory inventory;
    private final Catalog catalog;
    private final Allowances allowances;
    private final Clock clock;

    PlanController(LineSelection lineSelection, Inventory inventory, Catalog catalog, Allowances allowances, Clock clock) {
        this.lineSelection = lineSelection;
        this.inventory = inventory;
        this.catalog = catalog;
        this.allowances = allowances;
        this.clock = clock;
    }

    @GetMapping("/plan")
    String plan(@AuthenticationPrincipal HallUser me, HttpSession session, Model model) {
        Line line = lineSelection.current(me.requireCustomerId(), session);
        var now = clock.instant();
        var buckets = allowances.bucketsInForce(line.id(), now);
        var held = inventory.inForce(line.id(), now).stream()
                .map(p -> new Held(p, catalog.get(p.offeringId()),
                        buckets.stream().filter(b -> p.id() == (b.productId() == null ? -1 : b.productId())).findFirst().orElse(null)))
                .toList();
        model.addAttribute("line", line);
        model.addAttribute("plan", held.stream().filter(h -> h.product().kind() == OfferingKind.PLAN).findFirst().orElse(null));
        model.addAttribute("packs", held.stream().filter(h -> h.product().kind() == OfferingKind.PACK).toList());
        model.addAttribute("services", held.stream().filter(h -> h.product().kind() == OfferingKind.SERVICE).toList());
        model.addAttribute("now", now);
        return "hall/plan";
    }
}
