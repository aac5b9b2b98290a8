package org.telehall.usage.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
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
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.identity.HallUser;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;
import org.telehall.usage.UsageQuery;
import org.telehall.usage.UsageRecord;
import org.telehall.usage.UsageRecords;
import org.telehall.usage.UsageType;

/**
 * TMF635 usage: the signed-in customer's rated records (the 详单 as data), one month at a time
 * within the last 6, the other party masked as on the page.
 */
@RestController
@RequestMapping(UsageApiController.BASE)
@Tag(name = "usage", description = "TMF635 Usage: rated voice, SMS and data records of the last 6 months")
class UsageApiController {

    static final String BASE = "/tmf-api/usageManagement/v4/usage";

    record UsageView(String id, String href, Instant usageDate, String usageType, String status, String description,
                     List<Tmf.Characteristic> usageCharacteristic, List<RatedProductUsage> ratedProductUsage,
                     List<Tmf.Ref> relatedParty, @JsonProperty("@type") String type) {
    }

    record RatedProductUsage(String usageRatingTag, Tmf.Amount taxIncludedRatingAmount) {
    }

    private final UsageRecords records;
    private final Customers customers;
    private final Clock clock;

    UsageApiController(UsageRecords records, Customers customers, Clock clock) {
        this.records = records;
        this.customers = customers;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "Usage records of one month (month=yyyy-MM, default this month, at most 5 months back), newest first; filter by msisdn and usageType (voice, sms, data)")
    ResponseEntity<List<UsageView>> list(@AuthenticationPrincipal HallUser me,
                                         @RequestParam(required = false) String msisdn,
                                         @RequestParam(required = false) String month,
                                         @RequestParam(required = false) String usageType,
                                         @RequestParam(required = false) Integer offset,
                                         @RequestParam(required = false) Integer limit) {
        TmfList.Window window = TmfList.window(offset, limit);
        long customerId = me.requireCustomerId();
        YearMonth chosen = month(month);
        UsageType type = usageType == null || usageType.isBlank() ? null : Tmf.parseEnum(UsageType.class, "usageType", usageType.trim());
        List<Line> lines = msisdn == null || msisdn.isBlank() ? customers.linesOf(customerId)
                : List.of(customers.lineOf(customerId, new Msisdn(msisdn.trim())));
        if (lines.isEmpty()) {
            return TmfList.of(List.of(), 0);
        }
        UsageQuery query = new UsageQuery(lines.stream().map(Line::id).toList(), chosen, type, window.offset(), window.limit());
        Map<Long, Line> byId = lines.stream().collect(Collectors.toMap(Line::id, Function.identity()));
        List<UsageView> page = records.find(query).stream().map(r -> view(r, byId.get(r.lineId()), customerId)).toList();
        return TmfList.of(page, records.count(query));
    }

    @GetMapping("/{id}")
    @Operation(summary = "One usage record of the customer's; another customer's id is answered 404")
    UsageView one(@AuthenticationPrincipal HallUser me, @PathVariable String id) {
        long customerId = me.requireCustomerId();
        long recordId;
        try {
            recordId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFoundException("no usage " + id);
        }
        List<Line> lines = customers.linesOf(customerId);
        UsageRecord record = records.onLines(lines.stream().map(Line::id).toList(), recordId);
        Line line = lines.stream().filter(l -> l.id() == record.lineId()).findFirst().orElseThrow();
        return view(record, line, customerId);
    }

    private YearMonth month(String month) {
        YearMonth current = YearMonth.now(clock.withZone(Customer.ZONE));
        if (month == null || month.isBlank()) {
            return current;
        }
        List<YearMonth> online = UsageRecords.monthsOnline(current);
        try {
            YearMonth chosen = YearMonth.parse(month.trim());
            if (online.contains(chosen)) {
                return chosen;
            }
        } catch (DateTimeParseException e) {
            // answered below, with the months that may be asked for
        }
        throw new IllegalArgumentException("month must be one of the last " + UsageRecords.MONTHS_ONLINE + " months, "
                + online.get(online.size() - 1) + " to " + current + " (yyyy-MM), was " + month);
    }

    private static UsageView view(UsageRecord r, Line line, long customerId) {
        List<Tmf.Characteristic> chars = new ArrayList<>();
        chars.add(Tmf.Characteristic.of("msisdn", line.msisdn().value()));
        chars.add(Tmf.Characteristic.of("networkId", r.networkId()));
        if (r.direction() != null) {
            chars.add(Tmf.Characteristic.of("direction", r.direction().toLowerCase(java.util.Locale.ROOT)));
        }
        if (r.otherParty() != null) {
            chars.add(Tmf.Characteristic.of("otherParty", r.otherPartyMasked()));
        }
        switch (r.type()) {
            case VOICE -> chars.add(Tmf.Characteristic.of("durationSeconds", r.durationSeconds()));
            case DATA -> chars.add(Tmf.Characteristic.of("volumeKB", r.volumeKb()));
            case SMS -> chars.add(Tmf.Characteristic.of("messages", 1));
        }
        if (r.roamingCountry() != null) {
            chars.add(Tmf.Characteristic.of("roamingCountry", r.roamingCountry()));
        }
        String description = switch (r.type()) {
            case VOICE -> r.durationSeconds() + " s";
            case DATA -> r.volumeDisplay();
            case SMS -> "1 SMS";
        };
        return new UsageView(Long.toString(r.id()), Tmf.href(BASE + "/" + r.id()), r.startedAt(), Tmf.enumValue(r.type()),
                "rated", description, chars,
                List.of(new RatedProductUsage(r.charge().isPositive() ? "overage" : "included", Tmf.Amount.of(r.charge()))),
                List.of(Tmf.customerRef(customerId)), "Usage");
    }
}
