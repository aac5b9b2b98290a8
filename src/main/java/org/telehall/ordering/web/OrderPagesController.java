package org.telehall.ordering.web;

import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.customer.Line;
import org.telehall.customer.LineSelection;
import org.telehall.identity.HallUser;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.ordering.Order;
import org.telehall.ordering.OrderChannel;
import org.telehall.ordering.Orders;
import org.telehall.shared.BusinessRuleException;

/**
 * The ordering pages: the shop (packs and services), the quote with its SMS confirmation, the
 * order's timeline, the list of orders, and one-click unsubscribe.
 */
@Controller
class OrderPagesController {

    private final Orders orders;
    private final org.telehall.ordering.PlanComparisons comparisons;
    private final Catalog catalog;
    private final Inventory inventory;
    private final LineSelection lineSelection;
    private final OrderViews views;
    private final Clock clock;

    OrderPagesController(Orders orders, org.telehall.ordering.PlanComparisons comparisons, Catalog catalog, Inventory inventory,
                         LineSelection lineSelection, OrderViews views, Clock clock) {
        this.orders = orders;
        this.comparisons = comparisons;
        this.catalog = catalog;
        this.inventory = inventory;
        this.lineSelection = lineSelection;
        this.views = views;
        this.clock = clock;
    }

    /** A product the line holds, with its catalogue entry: what the unsubscribe page lists. */
    record Held(Product product, Offering offering) {
    }

    /** An order in the list, with the offerings it names. */
    record Listed(Order order, List<Offering> offerings) {
    }

    @GetMapping("/packs")
    String shop(@AuthenticationPrincipal HallUser me, HttpSession session, Model model) {
        Line line = lineSelection.current(me.requireCustomerId(), session);
        List<Offering> onSale = catalog.onSale();
        var held = inventory.inForce(line.id(), clock.instant()).stream().map(Product::offeringId).collect(Collectors.toSet());
        model.addAttribute("line", line);
        model.addAttribute("packs", onSale.stream().filter(o -> o.kind() == OfferingKind.PACK).toList());
        model.addAttribute("services", onSale.stream().filter(o -> o.isSubscription() && !held.contains(o.id())).toList());
        return "ordering/shop";
    }

    @PostMapping("/orders")
    String order(@AuthenticationPrincipal HallUser me, HttpSession session, @RequestParam String offering,
                 RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        Line line = lineSelection.current(customerId, session);
        try {
            Order order = orders.quoteAdd(new Orders.Placement(customerId, line.id(), me.userId(), OrderChannel.WEB), offering);
            return "redirect:/orders/" + order.id();
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
            return "redirect:/packs";
        }
    }

    /** Plans side by side, priced on the line's own last three months, with any change already booked. */
    @GetMapping("/plans/change")
    String plans(@AuthenticationPrincipal HallUser me, HttpSession session, Model model) {
        long customerId = me.requireCustomerId();
        Line line = lineSelection.current(customerId, session);
        model.addAttribute("line", line);
        model.addAttribute("comparison", comparisons.compare(customerId, line.id()));
        model.addAttribute("scheduled", orders.scheduledChangeOf(customerId, line.id())
                .map(o -> new Listed(o, o.items().stream().map(i -> catalog.get(i.offeringId())).toList())).orElse(null));
        return "ordering/plans";
    }

    @PostMapping("/orders/plan")
    String changePlan(@AuthenticationPrincipal HallUser me, HttpSession session, @RequestParam String plan,
                      @RequestParam(required = false) Orders.Effective when, RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        Line line = lineSelection.current(customerId, session);
        try {
            Order order = orders.quotePlanChange(new Orders.Placement(customerId, line.id(), me.userId(), OrderChannel.WEB), plan, when);
            return "redirect:/orders/" + order.id();
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
            return "redirect:/plans/change";
        }
    }

    @GetMapping("/unsubscribe")
    String unsubscribePage(@AuthenticationPrincipal HallUser me, HttpSession session, Model model) {
        Line line = lineSelection.current(me.requireCustomerId(), session);
        Instant now = clock.instant();
        List<Held> recurring = recurring(line, now);
        model.addAttribute("line", line);
        model.addAttribute("items", recurring);
        model.addAttribute("monthlyTotal", recurring.stream().map(h -> h.product().recurringFee())
                .reduce(org.telehall.shared.Money.ZERO, org.telehall.shared.Money::plus));
        return "ordering/unsubscribe";
    }

    @PostMapping("/orders/unsubscribe")
    String unsubscribe(@AuthenticationPrincipal HallUser me, HttpSession session,
                       @RequestParam(name = "product", required = false) List<Long> productIds,
                       @RequestParam(name = "all", required = false) String all, RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        Line line = lineSelection.current(customerId, session);
        List<Long> chosen = productIds == null ? List.of() : productIds;
        if (all != null) {
            chosen = recurring(line, clock.instant()).stream().map(h -> h.product().id()).toList();
        }
        if (chosen.isEmpty()) {
            redirect.addFlashAttribute("error", "order.choose-something");
            return "redirect:/unsubscribe";
        }
        try {
            Order order = orders.quoteUnsubscribe(new Orders.Placement(customerId, line.id(), me.userId(), OrderChannel.WEB), chosen);
            return "redirect:/orders/" + order.id();
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
            return "redirect:/unsubscribe";
        }
    }

    /** What one-click unsubscribe lists: subscriptions (not line functions) and auto-renewing packs. */
    private List<Held> recurring(Line line, Instant now) {
        return inventory.inForce(line.id(), now).stream()
                .map(p -> new Held(p, catalog.get(p.offeringId())))
                .filter(h -> h.offering().isSubscription() || (h.product().kind() == OfferingKind.PACK && h.product().autoRenew()))
                .toList();
    }

    /** Line functions (international roaming, long distance), each on or off, switched through a confirmed order. */
    @GetMapping("/features")
    String features(@AuthenticationPrincipal HallUser me, HttpSession session, Model model) {
        Line line = lineSelection.current(me.requireCustomerId(), session);
        Instant now = clock.instant();
        List<Product> held = inventory.inForce(line.id(), now);
        model.addAttribute("line", line);
        model.addAttribute("features", catalog.onSale().stream().filter(Offering::isLineFunction)
                .map(o -> new Held(held.stream().filter(p -> p.offeringId().equals(o.id())).findFirst().orElse(null), o)).toList());
        return "ordering/features";
    }

    /** SIM replacement: why, what it costs, what happens to the old card. */
    @GetMapping("/sim")
    String sim(@AuthenticationPrincipal HallUser me, HttpSession session, Model model) {
        Line line = lineSelection.current(me.requireCustomerId(), session);
        model.addAttribute("line", line);
        model.addAttribute("sim", catalog.onSale().stream().filter(Offering::isSimReplacement).findFirst().orElse(null));
        return "ordering/sim";
    }

    @PostMapping("/orders/sim")
    String orderSim(@AuthenticationPrincipal HallUser me, HttpSession session, @RequestParam(defaultValue = "DAMAGED") Orders.SimReason reason,
                    RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        Line line = lineSelection.current(customerId, session);
        try {
            return "redirect:/orders/" + orders.quoteSimReplacement(new Orders.Placement(customerId, line.id(), me.userId(), OrderChannel.WEB), reason).id();
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
            return "redirect:/sim";
        }
    }

    /**
     * A new line from the number picker (/lines/new): the held number, the person's real name and ID
     * number, the plan. Refusals go back to the picker with the reason.
     */
    @PostMapping("/orders/new-line")
    String newLine(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String msisdn,
                   @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String idNumber,
                   @RequestParam(defaultValue = "") String planId, RedirectAttributes redirect) {
        try {
            Order order = orders.quoteNewLine(new Orders.NewLine(me.requireCustomerId(), me.userId(), OrderChannel.WEB, msisdn, name, idNumber,
                    planId));
            return "redirect:/orders/" + order.id();
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
            return "redirect:/lines/new";
        }
    }

    /** Keep a service after its free trial (without this it ends by itself, free). */
    @PostMapping("/orders/renew")
    String renew(@AuthenticationPrincipal HallUser me, HttpSession session, @RequestParam long product, RedirectAttributes redirect) {
        long customerId = me.requireCustomerId();
        Line line = lineSelection.current(customerId, session);
        try {
            return "redirect:/orders/" + orders.quoteRenewal(new Orders.Placement(customerId, line.id(), me.userId(), OrderChannel.WEB), product).id();
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
            return "redirect:/plan";
        }
    }

    @GetMapping("/orders")
    String list(@AuthenticationPrincipal HallUser me, Model model) {
        long customerId = me.requireCustomerId();
        model.addAttribute("orders", orders.ofCustomer(customerId, 0, 50).stream()
                .map(o -> new Listed(o, o.items().stream().map(i -> catalog.get(i.offeringId())).toList())).toList());
        return "ordering/orders";
    }

    @GetMapping("/orders/{id}")
    String show(@AuthenticationPrincipal HallUser me, @PathVariable long id, Model model) {
        fill(me, id, model);
        return "ordering/order";
    }

    /** The timeline alone, for the page to refresh while the network works. */
    @GetMapping("/orders/{id}/timeline")
    String timeline(@AuthenticationPrincipal HallUser me, @PathVariable long id, Model model) {
        fill(me, id, model);
        return "ordering/order :: timeline";
    }

    @PostMapping("/orders/{id}/confirmation")
    String confirm(@AuthenticationPrincipal HallUser me, @PathVariable long id, @RequestParam(defaultValue = "") String code,
                   RedirectAttributes redirect) {
        try {
            Orders.Confirmation c = orders.confirm(me.requireCustomerId(), id, code);
            if (!c.accepted()) {
                redirect.addFlashAttribute("error", "order.code." + c.code().name().toLowerCase(java.util.Locale.ROOT));
            }
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
        }
        return "redirect:/orders/" + id;
    }

    @PostMapping("/orders/{id}/cancel")
    String cancel(@AuthenticationPrincipal HallUser me, @PathVariable long id, RedirectAttributes redirect) {
        try {
            orders.cancel(me.requireCustomerId(), id);
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
        }
        return "redirect:/orders/" + id;
    }

    @PostMapping("/orders/{id}/code/resend")
    String resend(@AuthenticationPrincipal HallUser me, @PathVariable long id, RedirectAttributes redirect) {
        try {
            orders.resendCode(me.requireCustomerId(), id);
            redirect.addFlashAttribute("notice", "order.code.resent");
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
        }
        return "redirect:/orders/" + id;
    }

    @PostMapping("/orders/{id}/code/extend")
    String extend(@AuthenticationPrincipal HallUser me, @PathVariable long id, RedirectAttributes redirect) {
        boolean extended = orders.extendCode(me.requireCustomerId(), id).isPresent();
        redirect.addFlashAttribute(extended ? "notice" : "error", extended ? "order.code.extended" : "order.code.expired");
        return "redirect:/orders/" + id;
    }

    private void fill(HallUser me, long id, Model model) {
        views.fill(orders.get(me.requireCustomerId(), id), "/orders", model);
    }
}
