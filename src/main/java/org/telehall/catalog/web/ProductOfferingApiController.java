package org.telehall.catalog.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.catalog.Price;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;
import org.telehall.shared.Money;

/**
 * TMF620 product offerings: the same catalogue as the public price-disclosure page, every rate
 * included. Public, like that page: anyone may read what is on sale and at what price.
 */
@RestController
@RequestMapping(ProductOfferingApiController.BASE)
@Tag(name = "productOffering", description = "TMF620 Product Catalog: plans, add-on packs and value-added services on sale")
class ProductOfferingApiController {

    static final String BASE = Tmf.PRODUCT_OFFERING;

    record ProductOfferingView(String id, String href, String name, String description, String version,
                               String lifecycleStatus, boolean isBundle, boolean isSellable,
                               Tmf.TimePeriod validFor, List<Tmf.Ref> category,
                               List<OfferingPrice> productOfferingPrice, List<OfferingTerm> productOfferingTerm,
                               List<Tmf.Characteristic> prodSpecCharValueUse, String conditions,
                               @JsonProperty("@type") String type) {
    }

    /** One price of the offering: a recurring fee, a one-time fee, or a usage rate per unit. */
    record OfferingPrice(String name, String priceType, String recurringChargePeriodType,
                         Tmf.Quantity unitOfMeasure, Tmf.Amount price, @JsonProperty("@type") String type) {
    }

    record OfferingTerm(String name, Tmf.Quantity duration) {
    }

    private final Catalog catalog;

    ProductOfferingApiController(Catalog catalog) {
        this.catalog = catalog;
    }

    @GetMapping
    @Operation(summary = "Everything on sale, plans first; filter with kind=plan|pack|service")
    ResponseEntity<List<ProductOfferingView>> list(@RequestParam(required = false) String kind,
                                                   @RequestParam(required = false) Integer offset,
                                                   @RequestParam(required = false) Integer limit, Locale locale) {
        TmfList.Window window = TmfList.window(offset, limit);
        OfferingKind onlyKind = kind == null || kind.isBlank() ? null : Tmf.parseEnum(OfferingKind.class, "kind", kind);
        List<ProductOfferingView> all = catalog.onSale().stream()
                .filter(o -> onlyKind == null || o.kind() == onlyKind)
                .map(o -> view(o, locale)).toList();
        return TmfList.slice(all, window);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One offering with all its prices, on sale or retired")
    ProductOfferingView one(@PathVariable String id, Locale locale) {
        return view(catalog.get(id), locale);
    }

    static ProductOfferingView view(Offering o, Locale locale) {
        boolean en = "en".equals(locale.getLanguage());
        Price p = o.price();
        List<OfferingPrice> prices = new ArrayList<>();
        if (o.kind() != OfferingKind.PACK || p.recurringFee().isPositive()) {
            prices.add(new OfferingPrice(en ? "Monthly fee" : "月费", "recurring", "month", null, Tmf.Amount.of(p.recurringFee()), "ProductOfferingPrice"));
        }
        if (p.oneTimeFee().isPositive() || o.kind() == OfferingKind.PACK) {
            prices.add(new OfferingPrice(en ? "Price" : "价格", "oneTime", null, null, Tmf.Amount.of(p.oneTimeFee()), "ProductOfferingPrice"));
        }
        usage(prices, en ? "Data beyond the allowance" : "套外流量", p.dataOveragePerMb(), "MB");
        usage(prices, en ? "Calls beyond the allowance" : "套外语音", p.voiceOveragePerMinute(), "min");
        usage(prices, en ? "SMS beyond the allowance" : "套外短信", p.smsOverage(), "SMS");
        usage(prices, en ? "Roaming data" : "漫游流量", p.roamingDataPerMb(), "MB");
        usage(prices, en ? "Roaming calls" : "漫游语音", p.roamingVoicePerMinute(), "min");

        List<Tmf.Characteristic> includes = new ArrayList<>();
        if (o.dataMb() > 0) {
            includes.add(Tmf.Characteristic.of("dataMB", o.dataMb()));
        }
        if (o.voiceMinutes() > 0) {
            includes.add(Tmf.Characteristic.of("voiceMinutes", o.voiceMinutes()));
        }
        if (o.smsCount() > 0) {
            includes.add(Tmf.Characteristic.of("sms", o.smsCount()));
        }
        includes.add(Tmf.Characteristic.of("network", o.network5g() ? "5G" : "4G"));
        if (o.dataRollover()) {
            includes.add(Tmf.Characteristic.of("dataRollover", true));
        }
        if (o.roamingZone() != null) {
            includes.add(Tmf.Characteristic.of("roamingZone", o.roamingZone()));
        }
        List<OfferingTerm> terms = new ArrayList<>();
        if (o.validityDays() != null) {
            terms.add(new OfferingTerm(en ? "Validity" : "有效期", Tmf.Quantity.of(o.validityDays(), "day")));
        }
        if (o.trialDays() > 0) {
            terms.add(new OfferingTerm(en ? "Free trial" : "免费试用", Tmf.Quantity.of(o.trialDays(), "day")));
        }
        String kindName = Tmf.enumValue(o.kind());
        return new ProductOfferingView(o.id(), Tmf.href(BASE + "/" + o.id()), o.name(locale), o.description(locale),
                Integer.toString(p.version()), o.onSale() ? "Launched" : "Retired", false, o.onSale(),
                new Tmf.TimePeriod(p.validFrom(), p.validTo()),
                List.of(new Tmf.Ref(kindName, null, kindName, "Category"), new Tmf.Ref(o.category(), null, o.category(), "Category")),
                prices, terms, includes, o.conditions(locale), "ProductOffering");
    }

    private static void usage(List<OfferingPrice> prices, String name, Money perUnit, String unit) {
        if (perUnit.isPositive()) {
            prices.add(new OfferingPrice(name, "usage", null, Tmf.Quantity.of(1, unit), Tmf.Amount.of(perUnit), "ProductOfferingPrice"));
        }
    }
}
