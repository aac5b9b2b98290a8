package org.telehall.customer.web;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.telehall.customer.Customer;
import org.telehall.customer.CustomerKind;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.identity.HallUser;
import org.telehall.platform.Tmf;
import org.telehall.platform.TmfList;
import org.telehall.shared.NotFoundException;

/**
 * TMF629 customer: the signed-in customer themselves, their lines as contact media and the ID
 * number only ever masked. Any other id is answered 404, exactly as an id that does not exist.
 */
@RestController
@RequestMapping(Tmf.CUSTOMER)
@Tag(name = "customer", description = "TMF629 Customer: the signed-in customer")
class CustomerApiController {

    record CustomerView(String id, String href, String name, String status, Tmf.Ref engagedParty,
                        List<Tmf.Characteristic> characteristic, List<ContactMedium> contactMedium,
                        List<Tmf.Ref> account, Tmf.TimePeriod validFor, @JsonProperty("@type") String type) {
    }

    record ContactMedium(String mediumType, boolean preferred, Map<String, String> characteristic) {
    }

    private final Customers customers;

    CustomerApiController(Customers customers) {
        this.customers = customers;
    }

    @GetMapping
    @Operation(summary = "The signed-in customer, as a list of one")
    ResponseEntity<List<CustomerView>> list(@AuthenticationPrincipal HallUser me) {
        return TmfList.of(List.of(view(customers.get(me.requireCustomerId()))), 1);
    }

    @GetMapping("/{id}")
    @Operation(summary = "The signed-in customer by id; any other id is 404")
    CustomerView one(@AuthenticationPrincipal HallUser me, @PathVariable String id) {
        long customerId = me.requireCustomerId();
        if (!id.equals(Long.toString(customerId))) {
            throw new NotFoundException("no customer " + id);
        }
        return view(customers.get(customerId));
    }

    private CustomerView view(Customer c) {
        List<Tmf.Characteristic> characteristics = new ArrayList<>();
        characteristics.add(Tmf.Characteristic.of("idNumber", c.idNumberMasked()));
        characteristics.add(Tmf.Characteristic.of("realNameVerified", c.realNameVerified()));
        characteristics.add(Tmf.Characteristic.of("billingCycleDay", c.cycleDay()));
        if (c.serviceLevel() != null) {
            characteristics.add(Tmf.Characteristic.of("serviceLevel", c.serviceLevel()));
        }
        List<Line> lines = customers.linesOf(c.id());
        List<ContactMedium> media = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            media.add(new ContactMedium("mobile", i == 0, Map.of("phoneNumber", line.msisdn().value(),
                    "lineStatus", Tmf.enumValue(line.status()))));
        }
        String partyType = c.kind() == CustomerKind.PERSON ? "Individual" : "Organization";
        return new CustomerView(Long.toString(c.id()), Tmf.href(Tmf.CUSTOMER + "/" + c.id()), c.name(), "approved",
                new Tmf.Ref(Long.toString(c.id()), null, c.name(), partyType), characteristics, media,
                List.of(new Tmf.Ref(Long.toString(c.id()), null, "Prepaid account", "BillingAccount")),
                new Tmf.TimePeriod(c.createdAt(), null), "Customer");
    }
}
