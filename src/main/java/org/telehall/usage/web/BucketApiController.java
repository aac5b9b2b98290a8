package org.telehall.usage.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.catalog.Catalog;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.identity.HallUser;
import org.telehall.ledger.Ledger;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;
import org.telehall.usage.Allowances;
import org.telehall.usage.Bucket;
import org.telehall.usage.UsageType;

/**
 * TMF654 buckets of the signed-in customer: each line's data, voice and SMS allowances in force,
 * and the prepaid money balance as a {@code monetary} bucket in CNY. Data amounts are in KB, exact.
 */
@RestController
@RequestMapping(BucketApiController.BASE)
@Tag(name = "bucket", description = "TMF654 Prepay Balance: allowances left and the money balance")
class BucketApiController {

    static final String BASE = "/tmf-api/prepayBalanceManagement/v4/bucket";
    static final String MONETARY = "monetary";
    private static final String BALANCE_ID_PREFIX = "balance-";

    record BucketView(String id, String href, String name, String usageType, String status, boolean isShared,
                      Tmf.Quantity remainingValue, String remainingValueName,
                      Tmf.Quantity initialValue, Tmf.Quantity usedValue, Tmf.Amount creditLimit,
                      Tmf.TimePeriod validFor, List<Tmf.Ref> product, List<Tmf.Ref> logicalResource,
                      Tmf.Ref partyAccount, List<Tmf.Ref> relatedParty,
                      @JsonProperty("@type") String type) {
    }

    private final Allowances allowances;
    private final Customers customers;
    private final Ledger ledger;
    private final Catalog catalog;
    private final Clock clock;

    BucketApiController(Allowances allowances, Customers customers, Ledger ledger, Catalog catalog, Clock clock) {
        this.allowances = allowances;
        this.customers = customers;
        this.ledger = ledger;
        this.catalog = catalog;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "Allowances in force on the customer's lines and the money balance; filter by msisdn or usageType (data, voice, sms, monetary)")
    ResponseEntity<List<BucketView>> list(@AuthenticationPrincipal HallUser me,
                                          @RequestParam(required = false) String msisdn,
                                          @RequestParam(required = false) String usageType,
                                          @RequestParam(required = false) Integer offset,
                                          @RequestParam(required = false) Integer limit, Locale locale) {
        TmfList.Window window = TmfList.window(offset, limit);
        long customerId = me.requireCustomerId();
        String onlyType = usageType == null || usageType.isBlank() ? null : usageType.trim().toLowerCase(Locale.ROOT);
        if (onlyType != null && !onlyType.equals(MONETARY)) {
            Tmf.parseEnum(UsageType.class, "usageType", onlyType); // says which values exist
        }
        List<Line> lines = msisdn == null || msisdn.isBlank() ? customers.linesOf(customerId)
                : List.of(customers.lineOf(customerId, new Msisdn(msisdn.trim())));
        Instant now = clock.instant();
        List<BucketView> all = new ArrayList<>();
        if (onlyType == null || onlyType.equals(MONETARY)) {
            all.add(balance(customerId, locale));
        }
        for (Line line : lines) {
            for (Bucket b : allowances.bucketsInForce(line.id(), now)) {
                if (onlyType == null || onlyType.equals(Tmf.enumValue(b.kind()))) {
                    all.add(view(b, line, customerId, locale));
                }
            }
        }
        return TmfList.slice(all, window);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One bucket: an allowance id, or balance-{customerId} for the money balance; others' ids are 404")
    BucketView one(@AuthenticationPrincipal HallUser me, @PathVariable String id, Locale locale) {
        long customerId = me.requireCustomerId();
        if (id.equals(BALANCE_ID_PREFIX + customerId)) {
            return balance(customerId, locale);
        }
        long bucketId;
        try {
            bucketId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFoundException("no bucket " + id);
        }
        List<Line> lines = customers.linesOf(customerId);
        Bucket bucket = allowances.onLines(lines.stream().map(Line::id).toList(), bucketId);
        Line line = lines.stream().filter(l -> l.id() == bucket.lineId()).findFirst().orElseThrow();
        return view(bucket, line, customerId, locale);
    }

    private BucketView balance(long customerId, Locale locale) {
        Money balance = ledger.balanceOf(customerId);
        String id = BALANCE_ID_PREFIX + customerId;
        boolean en = "en".equals(locale.getLanguage());
        return new BucketView(id, Tmf.href(BASE + "/" + id), en ? "Balance" : "话费余额", MONETARY, "active", true,
                new Tmf.Quantity(balance.yuan(), Money.CURRENCY), balance.display(), null, null,
                Tmf.Amount.of(ledger.creditLimitOf(customerId)), null, null, null,
                new Tmf.Ref(Long.toString(customerId), null, en ? "Prepaid account" : "预付费账户", "BillingAccount"),
                List.of(Tmf.customerRef(customerId)), "Bucket");
    }

    private BucketView view(Bucket b, Line line, long customerId, Locale locale) {
        String units = switch (b.kind()) {
            case DATA -> "KB";
            case VOICE -> "min";
            case SMS -> "SMS";
        };
        String name = catalog.find(b.offeringId()).map(o -> o.name(locale)).orElse(b.offeringId());
        List<Tmf.Ref> product = b.productId() == null ? List.of()
                : List.of(new Tmf.Ref(Long.toString(b.productId()), Tmf.href(Tmf.PRODUCT + "/" + b.productId()), name, "Product"));
        return new BucketView(Long.toString(b.id()), Tmf.href(BASE + "/" + b.id()), name, Tmf.enumValue(b.kind()), "active", false,
                Tmf.Quantity.of(b.remaining(), units), b.remainingDisplay() + (b.kind() == UsageType.DATA ? "" : " " + units),
                Tmf.Quantity.of(b.initial(), units), Tmf.Quantity.of(b.used(), units), null,
                new Tmf.TimePeriod(b.validFrom(), b.validTo()), product,
                List.of(new Tmf.Ref(line.msisdn().value(), null, line.msisdn().value(), "MSISDN")),
                null, List.of(Tmf.customerRef(customerId)), "Bucket");
    }

    private static Tmf.Ref customerRef(long customerId) {
        return new Tmf.Ref(Long.toString(customerId), Tmf.href("/tmf-api/customerManagement/v4/customer/" + customerId), null, "Customer");
    }
}
