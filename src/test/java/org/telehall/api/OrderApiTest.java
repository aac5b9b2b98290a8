package org.telehall.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.inventory.Inventory;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.ordering.OrderFulfilment;
import org.telehall.shared.Money;
import org.telehall.support.ApiClient;
import org.telehall.support.ApiClient.Reply;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import tools.jackson.databind.JsonNode;

/** TMF622 orders through the API: created pending with a quote, confirmed by the SMS code, followed by their timeline. */
class OrderApiTest extends HallIntegrationTest {

    static final String ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder";

    @Autowired TestCustomers testCustomers;
    @Autowired Ledger ledger;
    @Autowired Catalog catalog;
    @Autowired Inventory inventory;
    @Autowired OrderFulfilment fulfilment;
    @Autowired org.telehall.customer.NumberPool numbers;

    @Test
    void an_order_is_created_pending_refuses_a_wrong_code_with_422_and_completes_after_the_right_one() {
        TestSubscriber s = funded("API Buyer");
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        Offering pack = catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.PACK && o.price().oneTimeFee().isPositive())
                .findFirst().orElseThrow();

        Reply created = api.post(ORDERS, Map.of("productOrderItem", List.of(
                Map.of("id", "1", "action", "add", "productOffering", Map.of("id", pack.id())))), token);
        assertThat(created.status()).isEqualTo(201);
        JsonNode order = created.json();
        String id = order.get("id").asString();
        assertThat(created.header("Location")).endsWith(ORDERS + "/" + id);
        assertThat(order.get("state").asString()).isEqualTo("pending");
        assertThat(order.get("@type").asString()).isEqualTo("ProductOrder");
        assertThat(order.get("quote").get("fee").get("value").decimalValue()).isEqualByComparingTo(pack.price().oneTimeFee().yuan());
        assertThat(order.get("quote").get("fee").get("unit").asString()).isEqualTo("CNY");
        assertThat(order.get("productOrderItem").get(0).get("productOffering").get("id").asString()).isEqualTo(pack.id());
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(200));
        String code = latestCodeSentTo(s.msisdn());

        Reply wrong = api.post("/api/v1/orders/" + id + "/confirmation", Map.of("code", code.equals("000000") ? "111111" : "000000"), token);
        assertThat(wrong.status()).isEqualTo(422);
        assertThat(wrong.header("Content-Type")).startsWith("application/problem+json");
        assertThat(wrong.json().get("state").asString()).isEqualTo("pending");
        assertThat(wrong.json().get("detail").asString()).isNotBlank();
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(200));

        Reply ok = api.post("/api/v1/orders/" + id + "/confirmation", Map.of("code", code), token);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("state").asString()).isIn("inProgress", "completed");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(200).minus(pack.price().oneTimeFee()));

        JsonNode done = awaitEnd(api, token, id);
        assertThat(done.get("state").asString()).isEqualTo("completed");
        List<String> steps = new ArrayList<>();
        done.get("timeline").forEach(e -> steps.add(e.get("step").asString()));
        assertThat(steps).containsSubsequence("quoted", "codeSent", "confirmationRefused", "confirmed", "eligible", "charged",
                "provisioning", "provisioned", "completed", "notified");
        assertThat(done.get("timeline").get(0).get("label").asString()).isNotBlank();

        // the list shows it too, with TMF paging headers
        Reply list = api.get(ORDERS, token);
        assertThat(list.header("X-Total-Count")).isEqualTo("1");
        assertThat(list.json().get(0).get("id").asString()).isEqualTo(id);
    }

    @Test
    void another_customers_order_is_404_to_read_confirm_or_cancel_and_stays_as_it_was() {
        TestSubscriber owner = funded("API Owner");
        TestSubscriber stranger = funded("API Stranger");
        ApiClient api = new ApiClient(baseUrl());
        String ownerToken = api.signIn(clock, owner.msisdn(), owner.password(), this::latestCodeSentTo);
        String strangerToken = api.signIn(clock, stranger.msisdn(), stranger.password(), this::latestCodeSentTo);
        Offering service = catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.SERVICE).findFirst().orElseThrow();
        String id = api.post(ORDERS, Map.of("productOrderItem", List.of(
                Map.of("action", "add", "productOffering", Map.of("id", service.id())))), ownerToken).json().get("id").asString();
        String code = latestCodeSentTo(owner.msisdn());

        assertThat(api.get(ORDERS + "/" + id, strangerToken).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/orders/" + id + "/confirmation", Map.of("code", code), strangerToken).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/orders/" + id + "/cancellation", Map.of(), strangerToken).status()).isEqualTo(404);
        assertThat(api.get(ORDERS, strangerToken).json()).isEmpty();
        assertThat(api.get(ORDERS + "/" + id, ownerToken).json().get("state").asString()).isEqualTo("pending");

        Reply withdrawn = api.post("/api/v1/orders/" + id + "/cancellation", Map.of(), ownerToken);
        assertThat(withdrawn.json().get("state").asString()).isEqualTo("cancelled");
    }

    @Test
    void malformed_orders_are_problem_details_and_create_nothing() {
        TestSubscriber s = funded("API Clumsy");
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        List<Map<String, ?>> bad = List.of(
                Map.of("productOrderItem", List.of()),
                Map.of("productOrderItem", List.of(Map.of("action", "frobnicate", "productOffering", Map.of("id", "x")))),
                Map.of("productOrderItem", List.of(Map.of("action", "add"))),
                Map.of("productOrderItem", List.of(Map.of("action", "delete", "product", Map.of("id", "not-a-number")))),
                Map.of("productOrderItem", List.of(Map.of("action", "add", "productOffering", Map.of("id", "no-such-offering")))),
                Map.of("msisdn", "13900139000", "productOrderItem", List.of(Map.of("action", "add", "productOffering", Map.of("id", "pack-data-5g-month")))));
        for (Map<String, ?> body : bad) {
            Reply r = api.post(ORDERS, body, token);
            assertThat(r.status()).as(body.toString()).isBetween(400, 404);
            assertThat(r.header("Content-Type")).as(body.toString()).startsWith("application/problem+json");
        }
        assertThat(jdbc.sql("select count(*) from product_order where customer_id = ?").param(s.customerId()).query(Long.class).single()).isZero();
    }

    @Test
    void a_plan_change_through_the_api_from_the_next_cycle_is_booked_with_its_date() {
        TestSubscriber s = funded("API Plan Changer");
        Offering small = plan(5800), big = plan(12800);
        var today = java.time.LocalDate.ofInstant(clock.instant(), org.telehall.customer.Customer.ZONE);
        inventory.replacePlan(s.customerId(), s.lineId(), small, today.withDayOfMonth(1).atStartOfDay(org.telehall.customer.Customer.ZONE).toInstant());
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        Instant nextCycle = today.withDayOfMonth(1).plusMonths(1).atStartOfDay(org.telehall.customer.Customer.ZONE).toInstant();

        Reply created = api.post(ORDERS, Map.of("requestedStartDate", nextCycle.toString(), "productOrderItem", List.of(
                Map.of("action", "add", "productOffering", Map.of("id", big.id())))), token);
        assertThat(created.status()).isEqualTo(201);
        JsonNode order = created.json();
        assertThat(order.get("requestedStartDate").asString()).isEqualTo(nextCycle.toString());
        assertThat(order.get("quote").get("fee").get("value").decimalValue()).isZero();
        assertThat(order.get("quote").get("monthlyChange").get("value").decimalValue())
                .isEqualByComparingTo(big.price().recurringFee().minus(small.price().recurringFee()).yuan());
        assertThat(order.get("productOrderItem")).hasSize(2);
        String id = order.get("id").asString();
        JsonNode confirmed = api.post("/api/v1/orders/" + id + "/confirmation", Map.of("code", latestCodeSentTo(s.msisdn())), token).json();
        assertThat(confirmed.get("state").asString()).isEqualTo("inProgress");
        fulfilment.runDue();
        assertThat(inventory.planOf(s.lineId(), clock.instant())).get().extracting(p -> p.offeringId()).isEqualTo(small.id());
        assertThat(api.post("/api/v1/orders/" + id + "/cancellation", Map.of(), token).json().get("state").asString()).isEqualTo("cancelled");
    }

    @Test
    void a_new_line_through_the_api_names_the_pool_number_and_the_real_name_and_a_bad_id_number_is_a_422() {
        TestSubscriber s = funded("API New Line");
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        String number = numbers.search("", false, 0, 100).stream().filter(n -> !n.lucky()).skip(40).findFirst().orElseThrow().msisdn().value();
        String first17 = "11010119920815123";
        String id = first17 + org.telehall.customer.RealName.checkCharacter(first17);

        Reply bad = api.post(ORDERS, newLine(number, "API New Line", first17 + (id.endsWith("0") ? "1" : "0")), token);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.header("Content-Type")).startsWith("application/problem+json");
        assertThat(numbers.holdOf(s.customerId(), clock.instant())).isEmpty();

        Reply created = api.post(ORDERS, newLine(number, "API New Line", id), token);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("state").asString()).isEqualTo("pending");
        assertThat(created.json().get("newMsisdn").asString()).isEqualTo(number);
        String orderId = created.json().get("id").asString();
        assertThat(api.post("/api/v1/orders/" + orderId + "/confirmation", Map.of("code", latestCodeSentTo(s.msisdn())), token).status())
                .isEqualTo(200);
        assertThat(awaitEnd(api, token, orderId).get("state").asString()).isEqualTo("completed");
        assertThat(api.get("/tmf-api/productInventory/v4/product?msisdn=" + number, token).json()).isNotEmpty();
    }

    private static Map<String, ?> newLine(String msisdn, String name, String idNumber) {
        return Map.of("productOrderItem", List.of(Map.of("action", "add", "productOffering", Map.of("id", "plan-5g-58"),
                "product", Map.of("characteristic", List.of(Map.of("name", "msisdn", "value", msisdn), Map.of("name", "realName", "value", name),
                        Map.of("name", "idNumber", "value", idNumber))))));
    }

    private JsonNode awaitEnd(ApiClient api, String token, String id) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode order = api.get(ORDERS + "/" + id, token).json();
        while (System.nanoTime() < deadline && List.of("pending", "acknowledged", "inProgress").contains(order.get("state").asString())) {
            fulfilment.runDue();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            order = api.get(ORDERS + "/" + id, token).json();
        }
        return order;
    }

    private Offering plan(long feeFen) {
        return catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.PLAN && o.price().recurringFee().fen() == feeFen)
                .findFirst().orElseThrow();
    }

    private TestSubscriber funded(String name) {
        TestSubscriber s = testCustomers.subscriber(name);
        ledger.credit(new Posting(s.customerId(), Money.ofYuan(200), "test-topup-" + UUID.randomUUID(), ReasonCodes.TOPUP, "test top-up"), "TOPUP");
        return s;
    }
}
