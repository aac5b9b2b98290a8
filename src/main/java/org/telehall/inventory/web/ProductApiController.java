package org.telehall.inventory.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.identity.HallUser;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.inventory.ProductStatus;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;

/** TMF637 product inventory of the signed-in customer: each line's plan, packs and services. */
@RestController
@RequestMapping(ProductApiController.BASE)
@Tag(name = "product", description = "TMF637 Product Inventory: what the signed-in customer's lines hold")
class ProductApiController {

    static final String BASE = Tmf.PRODUCT;

    record ProductView(String id, String href, String name, String description, String status,
                       boolean isBundle, boolean isCustomerVisible, Instant startDate, Instant terminationDate,
                       Tmf.Ref productOffering, List<ProductPrice> productPrice,
                       List<Tmf.Characteristic> productCharacteristic, List<Tmf.Ref> relatedParty,
                       @JsonProperty("@type") String type) {
    }

    record ProductPrice(String priceType, String recurringChargePeriod, Price price) {
    }

    record Price(Tmf.Amount taxIncludedAmount) {
    }

    private final Inventory inventory;
    private final Customers customers;
    private final Catalog catalog;
    private final Clock clock;

    ProductApiController(Inventory inventory, Customers customers, Catalog catalog, Clock clock) {
        this.inventory = inventory;
        this.customers = customers;
        this.catalog = catalog;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "The customer's products, newest first; filter by msisdn, status (active, pendingTerminate, terminated) or kind (plan, pack, service)")
    ResponseEntity<List<ProductView>> list(@AuthenticationPrincipal HallUser me,
                                           @RequestParam(required = false) String msisdn,
                                           @RequestParam(required = false) String status,
                                           @RequestParam(required = false) String kind,
                                           @RequestParam(required = false) Integer offset,
                                           @RequestParam(required = false) Integer limit, Locale locale) {
        TmfList.Window window = TmfList.window(offset, limit);
        long customerId = me.requireCustomerId();
        Map<Long, Line> lines = linesOf(customerId);
        Long onlyLine = msisdn == null || msisdn.isBlank() ? null : customers.lineOf(customerId, new Msisdn(msisdn.trim())).id();
        ProductStatus onlyStatus = status == null || status.isBlank() ? null : Tmf.parseEnum(ProductStatus.class, "status", status);
        var onlyKind = kind == null || kind.isBlank() ? null : Tmf.parseEnum(org.telehall.catalog.OfferingKind.class, "kind", kind);
        Instant now = clock.instant();
        List<ProductView> all = inventory.ofCustomer(customerId).stream()
                .filter(p -> onlyLine == null || p.lineId() == onlyLine)
                .filter(p -> onlyStatus == null || effectiveStatus(p, now) == onlyStatus)
                .filter(p -> onlyKind == null || p.kind() == onlyKind)
                .map(p -> view(p, lines, now, locale)).toList();
        return TmfList.slice(all, window);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One of the customer's products; another customer's id is answered 404")
    ProductView one(@AuthenticationPrincipal HallUser me, @PathVariable String id, Locale locale) {
        long customerId = me.requireCustomerId();
        Product product = inventory.ofCustomer(customerId, parseId(id));
        return view(product, linesOf(customerId), clock.instant(), locale);
    }

    private Map<Long, Line> linesOf(long customerId) {
        return customers.linesOf(customerId).stream().collect(Collectors.toMap(Line::id, Function.identity()));
    }

    static long parseId(String id) {
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFoundException("no product " + id);
        }
    }

    /** A pack past its expiry is over even before a job marks it so. */
    private static ProductStatus effectiveStatus(Product p, Instant now) {
        return p.endsAt() != null && !p.endsAt().isAfter(now) ? ProductStatus.TERMINATED : p.status();
    }

    private ProductView view(Product p, Map<Long, Line> lines, Instant now, Locale locale) {
        Offering offering = catalog.find(p.offeringId()).orElse(null);
        String name = offering == null ? p.offeringId() : offering.name(locale);
        List<ProductPrice> prices = new ArrayList<>();
        if (p.recurringFee().isPositive() || p.kind() == org.telehall.catalog.OfferingKind.PLAN) {
            prices.add(new ProductPrice("recurring", "month", new Price(Tmf.Amount.of(p.recurringFee()))));
        }
        if (p.oneTimeFee().isPositive()) {
            prices.add(new ProductPrice("oneTime", null, new Price(Tmf.Amount.of(p.oneTimeFee()))));
        }
        Line line = lines.get(p.lineId());
        List<Tmf.Characteristic> characteristics = new ArrayList<>();
        characteristics.add(Tmf.Characteristic.of("msisdn", line == null ? null : line.msisdn().value()));
        characteristics.add(Tmf.Characteristic.of("kind", Tmf.enumValue(p.kind())));
        characteristics.add(Tmf.Characteristic.of("autoRenew", p.autoRenew()));
        if (p.trialEndsAt() != null) {
            characteristics.add(Tmf.Characteristic.of("trialEndsAt", p.trialEndsAt().toString()));
            characteristics.add(Tmf.Characteristic.of("inTrial", p.inTrial(now)));
        }
        return new ProductView(Long.toString(p.id()), Tmf.href(BASE + "/" + p.id()), name,
                offering == null ? null : offering.description(locale), Tmf.enumValue(effectiveStatus(p, now)),
                false, true, p.startedAt(), p.endsAt(),
                new Tmf.Ref(p.offeringId(), Tmf.href(Tmf.PRODUCT_OFFERING + "/" + p.offeringId()), name, "ProductOffering"),
                prices, characteristics,
                List.of(Tmf.customerRef(p.customerId())),
                "Product");
    }
}
