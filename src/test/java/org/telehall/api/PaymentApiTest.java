package org.telehall.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Money;
import org.telehall.support.ApiClient;
import org.telehall.support.ApiClient.Reply;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import tools.jackson.databind.JsonNode;

/** POST /api/v1/topups with an Idempotency-Key, the simulator's pay control, and TMF676 payments. */
class PaymentApiTest extends HallIntegrationTest {

    static final String PAYMENTS = "/tmf-api/paymentManagement/v4/payment";

    @Autowired TestCustomers testCustomers;
    @Autowired Ledger ledger;

    @Test
    void a_top_up_through_the_api_is_idempotent_paid_at_the_simulator_and_listed_as_a_tmf_payment() {
        TestSubscriber s = testCustomers.subscriber("API Payer");
        TestSubscriber other = testCustomers.subscriber("API Onlooker");
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        String otherToken = api.signIn(clock, other.msisdn(), other.password(), this::latestCodeSentTo);
        Map<String, ?> body = Map.of("msisdn", s.msisdn(), "amount", Map.of("unit", "CNY", "value", 100), "method", "alipay");
        String key = UUID.randomUUID().toString();

        assertThat(api.post("/api/v1/topups", body, token).status()).as("no Idempotency-Key").isEqualTo(400);
        Reply created = api.post("/api/v1/topups", body, token, Map.of("Idempotency-Key", key));
        assertThat(created.status()).isEqualTo(201);
        JsonNode order = created.json();
        String id = order.get("id").asString();
        assertThat(order.get("status").asString()).isEqualTo("pending");
        assertThat(order.get("payUrl").asString()).isEqualTo("/sim/alipay/pay/TH" + id);
        assertThat(order.get("qrContent").asString()).endsWith("/sim/alipay/pay/TH" + id);
        Reply again = api.post("/api/v1/topups", body, token, Map.of("Idempotency-Key", key));
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(id);
        Reply reused = api.post("/api/v1/topups", Map.of("msisdn", s.msisdn(), "amount", Map.of("unit", "CNY", "value", 200), "method", "alipay"),
                token, Map.of("Idempotency-Key", key));
        assertThat(reused.status()).isEqualTo(422);
        assertThat(reused.header("Content-Type")).startsWith("application/problem+json");

        Reply paid = api.post("/sim/alipay/orders/" + id + "/pay?notify=once", Map.of(), null);
        assertThat(paid.status()).isEqualTo(200);
        JsonNode payment = awaitStatus(api, token, id, "paid");
        assertThat(payment.get("@type").asString()).isEqualTo("Payment");
        assertThat(payment.get("totalAmount").get("value").decimalValue()).isEqualByComparingTo("100");
        assertThat(payment.get("correlatorId").asString()).isEqualTo("TH" + id);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100));

        Reply list = api.get(PAYMENTS, token);
        assertThat(list.header("X-Total-Count")).isEqualTo("1");
        assertThat(api.get(PAYMENTS + "/" + id, otherToken).status()).isEqualTo(404);
        assertThat(api.get(PAYMENTS, otherToken).json()).isEmpty();
    }

    private JsonNode awaitStatus(ApiClient api, String token, String id, String status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode p = api.get(PAYMENTS + "/" + id, token).json();
        while (!status.equals(p.get("status").asString()) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            p = api.get(PAYMENTS + "/" + id, token).json();
        }
        assertThat(p.get("status").asString()).isEqualTo(status);
        return p;
    }
}
