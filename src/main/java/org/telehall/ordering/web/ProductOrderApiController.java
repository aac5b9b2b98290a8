package org.telehall.ordering.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.identity.HallUser;
import org.telehall.ordering.Order;
import org.telehall.ordering.OrderChannel;
import org.telehall.ordering.Orders;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;
import org.telehall.shared.Msisdn;

/**
 * TMF622 product orders for the signed-in customer. A new order is created {@code pending} with its
 * quote; nothing happens until {@code POST /api/v1/orders/{id}/confirmation} brings the SMS code.
 */
@RestController
@Tag(name = "productOrder", description = "TMF622 Product Ordering: quote, SMS confirmation, timeline")
class ProductOrderApiController {

    static final String BASE = "/tmf-api/productOrderingManagement/v4/productOrder";

    /** The request: items to add (by offering) or delete (by product), and optionally which line. */
    record CreateOrder(String msisdn, Instant requestedStartDate, List<ItemRequest> productOrderItem) {
    }

    record ItemRequest(String id, String action, Tmf.Ref productOffering, ProductRequest product) {
    }

    /** The product an item acts on: by id (delete, modify), or described by characteristics (a new line's msisdn, realName, idNumber). */
    record ProductRequest(String id, List<Tmf.Characteristic> characteristic) {
        String characteristic(String name) {
            return characteristic == null ? null : characteristic.stream().filter(c -> name.equals(c.name()) && c.value() != null)
                    .map(c -> c.value().toString()).findFirst().orElse(null);
        }
    }

    record CodeRequest(String code) {
    }

    record ProductOrderView(String id, String href, String state, Instant orderDate, Instant requestedStartDate, Instant completionDate,
                            List<Tmf.Ref> channel, List<ItemView> productOrderItem, List<OrderPrice> orderTotalPrice,
                            Quote quote, List<TimelineEntry> timeline, List<Tmf.Ref> relatedParty, String newMsisdn,
                            @JsonProperty("@type") String type) {
    }

    record ItemView(String id, String action, Tmf.Ref productOffering, Tmf.Ref product, List<OrderPrice> itemPrice) {
    }

    record OrderPrice(String priceType, String recurringChargePeriod, Price price) {
    }

    record Price(Tmf.Amount taxIncludedAmount) {
    }

    /** What the customer confirms: the price now, the monthly change, when it takes effect, how to undo it. */
    record Quote(Tmf.Amount fee, Tmf.Amount monthlyChange, String effective, Instant confirmBy, String howToUndo) {
    }

    record TimelineEntry(Instant at, String step, String label, String detail) {
    }

    private final Orders orders;
    private final Customers customers;
    private final Catalog catalog;
    private final org.telehall.inventory.Inventory inventory;
    private final MessageSource messages;
    private final java.time.Clock clock;

    ProductOrderApiController(Orders orders, Customers customers, Catalog catalog, org.telehall.inventory.Inventory inventory,
                              MessageSource messages, java.time.Clock clock) {
        this.orders = orders;
        this.customers = customers;
        this.catalog = catalog;
        this.inventory = inventory;
        this.messages = messages;
        this.clock = clock;
    }

    @PostMapping(BASE)
    @Operation(summary = "Quote an order (state pending) and send the SMS code: items with action add + productOffering.id (packs, services), "
            + "or action delete + product.id (cancel services), or add + a plan's productOffering.id to change plan (upgrades start now, pro-rated, "
            + "unless requestedStartDate is on or after the next cycle; downgrades start with the next cycle); "
            + "all items of one order are on one line (msisdn, default the first line). A new line: one add item with the plan's "
            + "productOffering.id and product.characteristic msisdn (a number from the pool), realName, idNumber")
    ResponseEntity<ProductOrderView> create(@AuthenticationPrincipal HallUser me, @RequestBody CreateOrder body, Locale locale) {
        long customerId = me.requireCustomerId();
        if (body == null || body.productOrderItem() == null || body.productOrderItem().isEmpty()) {
            throw new IllegalArgumentException("productOrderItem must list at least one item");
        }
        ItemRequest first = body.productOrderItem().get(0);
        String newNumber = first.product() == null ? null : first.product().characteristic("msisdn");
        if (newNumber != null && "add".equalsIgnoreCase(String.valueOf(first.action()).trim())) {
            // a new line: the plan to add, and the number (held from the pool) with the holder's real name and ID number
            if (body.productOrderItem().size() != 1 || first.productOffering() == null) {
                throw new IllegalArgumentException("a new line is one add item: the plan's productOffering.id and product.characteristic msisdn, realName, idNumber");
            }
            Order order = orders.quoteNewLine(new Orders.NewLine(customerId, me.userId(), OrderChannel.API, newNumber,
                    first.product().characteristic("realName"), first.product().characteristic("idNumber"), first.productOffering().id()));
            return ResponseEntity.created(URI.create(Tmf.href(BASE + "/" + order.id()))).body(view(order, locale));
        }
        Line line = body.msisdn() == null || body.msisdn().isBlank() ? customers.linesOf(customerId).get(0)
                : customers.lineOf(customerId, new Msisdn(body.msisdn().trim()));
        Orders.Placement placement = new Orders.Placement(customerId, line.id(), me.userId(), OrderChannel.API);
        List<String> adds = new ArrayList<>();
        List<Long> deletes = new ArrayList<>();
        Long renew = null;
        for (ItemRequest item : body.productOrderItem()) {
            String action = item.action() == null ? "" : item.action().trim().toLowerCase(Locale.ROOT);
            switch (action) {
                case "add" -> {
                    if (item.productOffering() == null || item.productOffering().id() == null) {
                        throw new IllegalArgumentException("an add item needs productOffering.id");
                    }
                    adds.add(item.productOffering().id());
                }
                case "delete" -> {
                    if (item.product() == null || item.product().id() == null) {
                        throw new IllegalArgumentException("a delete item needs product.id");
                    }
                    try {
                        deletes.add(Long.parseLong(item.product().id()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("product.id must be a product id, was " + item.product().id());
                    }
                }
                case "modify" -> {
                    // the one modification on offer: keep a service after its free trial
                    if (item.product() == null || item.product().id() == null || body.productOrderItem().size() != 1) {
                        throw new IllegalArgumentException("a modify item (renew a trial service) needs product.id and stands alone");
                    }
                    try {
                        renew = Long.parseLong(item.product().id());
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("product.id must be a product id, was " + item.product().id());
                    }
                }
                default -> throw new IllegalArgumentException("action must be add, delete or modify, was " + item.action());
            }
        }
        if (renew != null) {
            Order renewal = orders.quoteRenewal(placement, renew);
            return ResponseEntity.created(URI.create(Tmf.href(BASE + "/" + renewal.id()))).body(view(renewal, locale));
        }
        boolean planChange = adds.size() == 1 && catalog.find(adds.get(0)).map(o -> o.kind() == org.telehall.catalog.OfferingKind.PLAN).orElse(false);
        if (planChange) {
            // the old plan's delete item may be spelled out; anything else does not belong in a plan change
            Long currentPlan = inventory.planOf(line.id(), clock.instant()).map(org.telehall.inventory.Product::id).orElse(null);
            if (deletes.stream().anyMatch(d -> !d.equals(currentPlan))) {
                throw new IllegalArgumentException("a plan change adds the new plan and may delete only the current plan");
            }
        } else if (!adds.isEmpty() && !deletes.isEmpty() || adds.size() > 1) {
            throw new IllegalArgumentException("an order either adds one offering or deletes one or more products");
        }
        Order order = planChange ? orders.quotePlanChange(placement, adds.get(0), effective(body.requestedStartDate(), customerId))
                : adds.isEmpty() ? orders.quoteUnsubscribe(placement, deletes) : orders.quoteAdd(placement, adds.get(0));
        return ResponseEntity.created(URI.create(Tmf.href(BASE + "/" + order.id()))).body(view(order, locale));
    }

    @GetMapping(BASE)
    @Operation(summary = "The customer's orders from every channel (web, API, store), newest first")
    ResponseEntity<List<ProductOrderView>> list(@AuthenticationPrincipal HallUser me, @RequestParam(required = false) Integer offset,
                                                @RequestParam(required = false) Integer limit, Locale locale) {
        TmfList.Window window = TmfList.window(offset, limit);
        long customerId = me.requireCustomerId();
        return TmfList.of(orders.ofCustomer(customerId, window.offset(), window.limit()).stream().map(o -> view(o, locale)).toList(),
                orders.countOf(customerId));
    }

    @GetMapping(BASE + "/{id}")
    @Operation(summary = "One order with its state and timeline; another customer's id is 404")
    ProductOrderView one(@AuthenticationPrincipal HallUser me, @PathVariable long id, Locale locale) {
        return view(orders.get(me.requireCustomerId(), id), locale);
    }

    @PostMapping("/api/v1/orders/{id}/confirmation")
    @Operation(summary = "Confirm a pending order with the SMS code (二次确认); a wrong or expired code is 422 and changes nothing")
    ResponseEntity<?> confirm(@AuthenticationPrincipal HallUser me, @PathVariable long id, @RequestBody(required = false) CodeRequest body,
                              Locale locale) {
        if (body == null || body.code() == null || body.code().isBlank()) {
            throw new IllegalArgumentException("code is required");
        }
        Orders.Confirmation c = orders.confirm(me.requireCustomerId(), id, body.code());
        if (!c.accepted()) {
            String kind = c.code().name().toLowerCase(Locale.ROOT).replace('_', '-');
            ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNPROCESSABLE_CONTENT,
                    messages.getMessage("order.code." + c.code().name().toLowerCase(Locale.ROOT), null, locale));
            problem.setType(URI.create("https://telehall.org/problems/order-code-" + kind));
            problem.setTitle("Confirmation refused");
            problem.setProperty("state", Tmf.enumValue(c.order().state()));
            return ResponseEntity.unprocessableContent().contentType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON).body(problem);
        }
        return ResponseEntity.ok(view(c.order(), locale));
    }

    @PostMapping("/api/v1/orders/{id}/cancellation")
    @Operation(summary = "Withdraw an order still waiting for confirmation")
    ProductOrderView cancel(@AuthenticationPrincipal HallUser me, @PathVariable long id, Locale locale) {
        return view(orders.cancel(me.requireCustomerId(), id), locale);
    }

    /** No date: the default for the change. A date before the next cycle: now. Otherwise: from the next cycle. */
    private Orders.Effective effective(Instant requested, long customerId) {
        if (requested == null) {
            return null;
        }
        java.time.LocalDate today = java.time.LocalDate.ofInstant(clock.instant(), org.telehall.customer.Customer.ZONE);
        Instant nextCycle = customers.get(customerId).nextCycleStart(today).atStartOfDay(org.telehall.customer.Customer.ZONE).toInstant();
        return requested.isBefore(nextCycle) ? Orders.Effective.NOW : Orders.Effective.NEXT_CYCLE;
    }

    private ProductOrderView view(Order o, Locale locale) {
        List<ItemView> items = new ArrayList<>();
        for (Order.Item i : o.items()) {
            Offering offering = catalog.get(i.offeringId());
            List<OrderPrice> prices = new ArrayList<>();
            if (i.fee().isPositive()) {
                prices.add(new OrderPrice("oneTime", null, new Price(Tmf.Amount.of(i.fee()))));
            }
            if (i.monthly().isPositive()) {
                prices.add(new OrderPrice("recurring", "month", new Price(Tmf.Amount.of(i.monthly()))));
            }
            items.add(new ItemView(Long.toString(i.id()), i.action() == Order.Action.RENEW ? "modify" : i.action().name().toLowerCase(Locale.ROOT),
                    new Tmf.Ref(offering.id(), Tmf.href(Tmf.PRODUCT_OFFERING + "/" + offering.id()), offering.name(locale), "ProductOffering"),
                    i.productId() == null ? null : new Tmf.Ref(Long.toString(i.productId()), Tmf.href(Tmf.PRODUCT + "/" + i.productId()), null, "Product"),
                    prices));
        }
        List<TimelineEntry> timeline = o.timeline().stream().map(e -> new TimelineEntry(e.at(), Tmf.enumValue(e.step()),
                messages.getMessage("order.step." + e.step().name(), null, locale),
                e.detail() != null && e.detail().startsWith("order.") ? messages.getMessage(e.detail(), null, e.detail(), locale) : e.detail()))
                .toList();
        boolean plan = o.items().stream().anyMatch(i -> catalog.get(i.offeringId()).kind() == org.telehall.catalog.OfferingKind.PLAN);
        String undo = messages.getMessage("order.quote.undo." + (plan ? "plan" : o.isUnsubscribe() ? "unsubscribe" : "add"), null, locale);
        return new ProductOrderView(Long.toString(o.id()), Tmf.href(BASE + "/" + o.id()), Tmf.enumValue(o.state()), o.createdAt(),
                o.effectiveAt(), o.completedAt(), List.of(new Tmf.Ref(o.channel().name().toLowerCase(Locale.ROOT), null, o.channel().name().toLowerCase(Locale.ROOT), "Channel")),
                items, List.of(new OrderPrice("oneTime", null, new Price(Tmf.Amount.of(o.fee())))),
                new Quote(Tmf.Amount.of(o.fee()), Tmf.Amount.of(o.monthlyChange()),
                        o.effectiveAt() == null ? "immediate" : o.effectiveAt().toString(), o.confirmBy(), undo),
                timeline, List.of(Tmf.customerRef(o.customerId())), o.newMsisdn(), "ProductOrder");
    }
}
