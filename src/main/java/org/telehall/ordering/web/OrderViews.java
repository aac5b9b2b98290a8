package org.telehall.ordering.web;

import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.ui.Model;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.identity.Accounts;
import org.telehall.ordering.Order;
import org.telehall.ordering.OrderChannel;
import org.telehall.ordering.OrderState;
import org.telehall.ordering.Orders;

/** What an order page shows, the same for the subscriber's hall and the agent's counter. */
@Component
class OrderViews {

    /** One order line of the quote, with its catalogue entry for the name. */
    record QuotedItem(Order.Item item, Offering offering) {
    }

    private final Orders orders;
    private final Catalog catalog;
    private final Accounts accounts;
    private final java.time.Clock clock;

    OrderViews(Orders orders, Catalog catalog, Accounts accounts, java.time.Clock clock) {
        this.orders = orders;
        this.catalog = catalog;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** A refusal for the next page: its message key and the figures the message names (e.g. seconds to wait). */
    static void flashError(org.springframework.web.servlet.mvc.support.RedirectAttributes redirect,
                           org.telehall.shared.BusinessRuleException e) {
        redirect.addFlashAttribute("error", e.code());
        redirect.addFlashAttribute("errorArgs", e.args());
    }

    /** {@code base} is where the page's own actions live: /orders for the subscriber, /agent/orders at the counter. */
    void fill(Order order, String base, Model model) {
        List<QuotedItem> items = order.items().stream().map(i -> new QuotedItem(i, catalog.get(i.offeringId()))).toList();
        model.addAttribute("order", order);
        model.addAttribute("orderBase", base);
        model.addAttribute("items", items);
        model.addAttribute("kind", order.isNewLine() ? "newline"
                : items.stream().anyMatch(q -> q.offering().kind() == OfferingKind.PLAN) ? "plan"
                : order.isUnsubscribe() ? "unsubscribe"
                : items.stream().anyMatch(q -> q.item().action() == Order.Action.RENEW) ? "renew"
                : items.stream().anyMatch(q -> q.offering().isSimReplacement()) ? "sim" : "add");
        model.addAttribute("cancellable", order.state() == OrderState.IN_PROGRESS && order.isScheduled(clock.instant()));
        model.addAttribute("placedBy", order.channel() == OrderChannel.STORE ? accounts.usernameOf(order.placedByUserId()).orElse("?") : null);
        model.addAttribute("codeExpiry", order.state() == OrderState.PENDING
                ? orders.codeExpiry(order.customerId(), order.id()).orElse(null) : null);
    }
}
