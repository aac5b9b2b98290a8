package org.telehall.billing.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.telehall.billing.Bill;
import org.telehall.billing.BillCategory;
import org.telehall.billing.Bills;
import org.telehall.billing.Postpaid;
import org.telehall.customer.Customer;
import org.telehall.shared.Money;
import org.telehall.identity.HallUser;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;
import org.telehall.shared.NotFoundException;

/**
 * TMF678 customerBill: the signed-in customer's issued bills, newest first, each with its amounts
 * by category as applied billing rates. Another customer's bill is answered 404.
 */
@RestController
@RequestMapping(CustomerBillApiController.BASE)
@Tag(name = "customerBill", description = "TMF678 Customer Bill: the monthly bills of the signed-in customer")
class CustomerBillApiController {

    static final String BASE = "/tmf-api/customerBillManagement/v4/customerBill";

    record CustomerBillView(String id, String href, String billNo, Instant billDate, Tmf.TimePeriod billingPeriod, Tmf.Amount amountDue,
                            Tmf.Amount remainingAmount, Tmf.Amount taxIncludedAmount, Instant paymentDueDate, Instant nextBillDate,
                            String state, String runType, String category, List<AppliedRate> appliedCustomerBillingRate,
                            List<Tmf.Characteristic> billCharacteristic, List<Tmf.Ref> relatedParty,
                            @JsonProperty("@type") String type) {
    }

    /** One category of the bill, as TMF678's AppliedCustomerBillingRate summarised on the bill. */
    record AppliedRate(String id, String name, String type, Tmf.Amount taxIncludedAmount) {
    }

    private final Bills bills;
    private final Postpaid postpaid;

    CustomerBillApiController(Bills bills, Postpaid postpaid) {
        this.bills = bills;
        this.postpaid = postpaid;
    }

    @GetMapping
    @Operation(summary = "The customer's issued bills, newest first (paged with offset/limit)")
    ResponseEntity<List<CustomerBillView>> list(@AuthenticationPrincipal HallUser me, @RequestParam(required = false) Integer offset,
                                                @RequestParam(required = false) Integer limit) {
        TmfList.Window window = TmfList.window(offset, limit);
        List<Bill> all = bills.of(me.requireCustomerId(), 240);
        return TmfList.slice(all.stream().map(this::view).toList(), window);
    }

    @GetMapping("/{id}")
    @Operation(summary = "One of the customer's bills; another customer's id is answered 404")
    CustomerBillView one(@AuthenticationPrincipal HallUser me, @PathVariable String id) {
        long billId;
        try {
            billId = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFoundException("no customerBill " + id);
        }
        return view(bills.get(me.requireCustomerId(), billId));
    }

    private static String rateType(BillCategory c) {
        return switch (c) {
            case PLAN, SERVICES -> "recurring";
            case PACKS -> "oneTime";
            case ADJUSTMENTS -> "adjustment";
            case DISCOUNTS -> "discount";
            case VOICE, DATA, SMS, ROAMING -> "usage";
        };
    }

    private CustomerBillView view(Bill b) {
        List<AppliedRate> rates = new ArrayList<>();
        for (BillCategory c : BillCategory.values()) {
            rates.add(new AppliedRate(b.id() + "-" + c.name().toLowerCase(Locale.ROOT), c.name().toLowerCase(Locale.ROOT),
                    rateType(c),
                    Tmf.Amount.of(b.amount(c))));
        }
        List<Tmf.Characteristic> chars = List.of(
                Tmf.Characteristic.of("openingBalance", b.openingBalance().yuan()),
                Tmf.Characteristic.of("payments", b.payments().yuan()),
                Tmf.Characteristic.of("closingBalance", b.closingBalance().yuan()));
        // a prepaid bill was paid from the balance as it went; a postpaid one until payments cover it
        Money remaining = b.postpaid() ? postpaid.outstanding(b) : b.amountDue();
        String state = !remaining.isPositive() ? "settled" : remaining.compareTo(b.amountDue()) < 0 ? "partiallyPaid" : "sent";
        return new CustomerBillView(Long.toString(b.id()), Tmf.href(BASE + "/" + b.id()), b.billNo(), b.issuedAt(),
                new Tmf.TimePeriod(b.periodStart(), b.periodEnd()), Tmf.Amount.of(b.amountDue()), Tmf.Amount.of(remaining),
                Tmf.Amount.of(b.total()), b.dueDate() == null ? null : b.dueDate().atStartOfDay(Customer.ZONE).toInstant(),
                b.cycleEnd().plusMonths(1).atStartOfDay(Customer.ZONE).toInstant(), state, "onCycle", "normal", rates, chars,
                List.of(Tmf.customerRef(b.customerId())), "CustomerBill");
    }
}
