package org.telehall.ordering.web;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.identity.Audit;
import org.telehall.identity.HallUser;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.ledger.Ledger;
import org.telehall.ordering.Order;
import org.telehall.ordering.OrderChannel;
import org.telehall.ordering.Orders;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;

/**
 * The store counter: an agent looks a customer up by number and places the same orders on their
 * behalf — recorded as channel STORE with the agent's id, confirmed by the code sent to the
 * customer's phone — and follows the timeline. The customer sees those orders in their hall at once.
 * Staff see names and ID numbers masked; every look-up goes to the audit trail.
 */
@Controller
@RequestMapping("/agent")
class AgentConsoleController {

    record Held(Product product, Offering offering) {
    }

    record Listed(Order order, List<Offering> offerings) {
    }

    private final Orders orders;
    private final Customers customers;
    private final Inventory inventory;
    private final Catalog catalog;
    private final Ledger ledger;
    private final Audit audit;
    private final OrderViews views;
    private final java.time.Clock clock;
    private final org.telehall.customer.NumberPool numbers;

    AgentConsoleController(Orders orders, Customers customers, Inventory inventory, Catalog catalog, Ledger ledger, Audit audit,
                           OrderViews views, java.time.Clock clock, org.telehall.customer.NumberPool numbers) {
        this.numbers = numbers;
        this.orders = orders;
        this.customers = customers;
        this.inventory = inventory;
        this.catalog = catalog;
        this.ledger = ledger;
        this.audit = audit;
        this.views = views;
        this.clock = clock;
    }

    @GetMapping
    String search() {
        return "ordering/agent-search";
    }

    @GetMapping("/lookup")
    String lookup(@AuthenticationPrincipal HallUser me, @RequestParam(defaultValue = "") String msisdn, RedirectAttributes redirect) {
        String number = msisdn.replaceAll("[\\s-]", "");
        if (!Msisdn.isValid(number)) {
            redirect.addFlashAttribute("error", "agent.bad-number");
            return "redirect:/agent";
        }
        var line = customers.lineByMsisdn(new Msisdn(number));
        audit.record(me.username(), "agent.lookup", Msisdn.maskNumber(number), line.isPresent() ? "found" : "not found");
        if (line.isEmpty()) {
            redirect.addFlashAttribute("error", "agent.not-found");
            return "redirect:/agent";
        }
        return "redirect:/agent/lines/" + line.get().id();
    }

    @GetMapping("/lines/{lineId}")
    String customer(@AuthenticationPrincipal HallUser me, @PathVariable long lineId, Model model) {
        Line line = line(lineId);
        Customer customer = customers.get(line.customerId());
        audit.record(me.username(), "agent.view-customer", "customer:" + customer.id(), line.msisdn().masked());
        Instant now = clock.instant();
        List<Held> held = inventory.inForce(line.id(), now).stream().map(p -> new Held(p, catalog.get(p.offeringId()))).toList();
        Set<String> holding = held.stream().map(h -> h.offering().id()).collect(Collectors.toSet());
        List<Offering> onSale = catalog.onSale();
        model.addAttribute("line", line);
        model.addAttribute("customer", customer);
        model.addAttribute("balance", ledger.balanceOf(customer.id()));
        model.addAttribute("held", held);
        model.addAttribute("recurring", held.stream().filter(h -> h.product().kind() == OfferingKind.SERVICE
                || (h.product().kind() == OfferingKind.PACK && h.product().autoRenew())).toList());
        model.addAttribute("packs", onSale.stream().filter(o -> o.kind() == OfferingKind.PACK).toList());
        model.addAttribute("services", onSale.stream().filter(o -> o.kind() == OfferingKind.SERVICE && !o.isSimReplacement()
                && !holding.contains(o.id())).toList());
        model.addAttribute("sim", onSale.stream().filter(Offering::isSimReplacement).findFirst().orElse(null));
        model.addAttribute("plans", onSale.stream().filter(o -> o.kind() == OfferingKind.PLAN && !holding.contains(o.id())).toList());
        model.addAttribute("allPlans", onSale.stream().filter(o -> o.kind() == OfferingKind.PLAN).toList());
        model.addAttribute("freeNumbers", numbers.search("", false, 0, 12));
        model.addAttribute("orders", orders.ofCustomer(customer.id(), 0, 20).stream()
                .map(o -> new Listed(o, o.items().stream().map(i -> catalog.get(i.offeringId())).toList())).toList());
        return "ordering/agent-customer";
    }

    @PostMapping("/lines/{lineId}/orders")
    String add(@AuthenticationPrincipal HallUser me, @PathVariable long lineId, @RequestParam String offering, RedirectAttributes redirect) {
        Line line = line(lineId);
        return placed(lineId, redirect, () -> orders.quoteAdd(placement(me, line), offering));
    }

    @PostMapping("/lines/{lineId}/plan")
    String plan(@AuthenticationPrincipal HallUser me, @PathVariable long lineId, @RequestParam String plan,
                @RequestParam(required = false) Orders.Effective when, RedirectAttributes redirect) {
        Line line = line(lineId);
        return placed(lineId, redirect, () -> orders.quotePlanChange(placement(me, line), plan, when));
    }

    /** A new line for the customer at the counter: the agent reads the ID card, the customer picks a number and confirms with the code. */
    @PostMapping("/lines/{lineId}/new-line")
    String newLine(@AuthenticationPrincipal HallUser me, @PathVariable long lineId, @RequestParam(defaultValue = "") String msisdn,
                   @RequestParam(defaultValue = "") String name, @RequestParam(defaultValue = "") String idNumber,
                   @RequestParam(defaultValue = "") String planId, RedirectAttributes redirect) {
        Line line = line(lineId);
        return placed(lineId, redirect, () -> orders.quoteNewLine(new Orders.NewLine(line.customerId(), me.userId(), OrderChannel.STORE,
                msisdn, name, idNumber, planId)));
    }

    /** At the counter the new SIM is handed over at once; the reason is what the customer says. */
    @PostMapping("/lines/{lineId}/sim")
    String sim(@AuthenticationPrincipal HallUser me, @PathVariable long lineId, @RequestParam(defaultValue = "DAMAGED") Orders.SimReason reason,
               RedirectAttributes redirect) {
        Line line = line(lineId);
        return placed(lineId, redirect, () -> orders.quoteSimReplacement(placement(me, line), reason));
    }

    @PostMapping("/lines/{lineId}/unsubscribe")
    String unsubscribe(@AuthenticationPrincipal HallUser me, @PathVariable long lineId,
                       @RequestParam(name = "product", required = false) List<Long> products, RedirectAttributes redirect) {
        Line line = line(lineId);
        if (products == null || products.isEmpty()) {
            redirect.addFlashAttribute("error", "order.choose-something");
            return "redirect:/agent/lines/" + lineId;
        }
        return placed(lineId, redirect, () -> orders.quoteUnsubscribe(placement(me, line), products));
    }

    @GetMapping("/orders/{id}")
    String order(@AuthenticationPrincipal HallUser me, @PathVariable long id, Model model) {
        Order order = orders.getForStaff(id);
        audit.record(me.username(), "agent.view-order", "order:" + id, null);
        views.fill(order, "/agent/orders", model);
        model.addAttribute("counterLine", customers.lineById(order.lineId()).orElse(null));
        return "ordering/order";
    }

    @GetMapping("/orders/{id}/timeline")
    String timeline(@PathVariable long id, Model model) {
        views.fill(orders.getForStaff(id), "/agent/orders", model);
        return "ordering/order :: timeline";
    }

    /** The customer reads out the code their phone received (or types it on the counter's screen). */
    @PostMapping("/orders/{id}/confirmation")
    String confirm(@AuthenticationPrincipal HallUser me, @PathVariable long id, @RequestParam(defaultValue = "") String code,
                   RedirectAttributes redirect) {
        Order order = orders.getForStaff(id);
        try {
            Orders.Confirmation c = orders.confirm(order.customerId(), id, code);
            audit.record(me.username(), "agent.confirm-order", "order:" + id, c.code().name());
            if (!c.accepted()) {
                redirect.addFlashAttribute("error", "order.code." + c.code().name().toLowerCase(java.util.Locale.ROOT));
            }
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
        }
        return "redirect:/agent/orders/" + id;
    }

    @PostMapping("/orders/{id}/cancel")
    String cancel(@AuthenticationPrincipal HallUser me, @PathVariable long id, RedirectAttributes redirect) {
        Order order = orders.getForStaff(id);
        try {
            orders.cancel(order.customerId(), id);
            audit.record(me.username(), "agent.cancel-order", "order:" + id, null);
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
        }
        return "redirect:/agent/orders/" + id;
    }

    @PostMapping("/orders/{id}/code/resend")
    String resend(@PathVariable long id, RedirectAttributes redirect) {
        Order order = orders.getForStaff(id);
        try {
            orders.resendCode(order.customerId(), id);
            redirect.addFlashAttribute("notice", "order.code.resent");
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
        }
        return "redirect:/agent/orders/" + id;
    }

    @PostMapping("/orders/{id}/code/extend")
    String extend(@PathVariable long id, RedirectAttributes redirect) {
        Order order = orders.getForStaff(id);
        boolean extended = orders.extendCode(order.customerId(), id).isPresent();
        redirect.addFlashAttribute(extended ? "notice" : "error", extended ? "order.code.extended" : "order.code.expired");
        return "redirect:/agent/orders/" + id;
    }

    private Line line(long lineId) {
        return customers.lineById(lineId).orElseThrow(() -> new NotFoundException("no line " + lineId));
    }

    private static Orders.Placement placement(HallUser agent, Line line) {
        return new Orders.Placement(line.customerId(), line.id(), agent.userId(), OrderChannel.STORE);
    }

    private static String placed(long lineId, RedirectAttributes redirect, java.util.function.Supplier<Order> quote) {
        try {
            return "redirect:/agent/orders/" + quote.get().id();
        } catch (BusinessRuleException e) {
            OrderViews.flashError(redirect, e);
            return "redirect:/agent/lines/" + lineId;
        }
    }
}
