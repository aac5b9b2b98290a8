package org.telehall.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;

/** The number pool through the API: search, hold, the refusal as a problem, release. */
class NumberApiTest extends HallIntegrationTest {

    @Autowired TestCustomers testCustomers;
    @Autowired NumberPool pool;

    @Test
    void an_api_client_finds_lucky_numbers_holds_one_and_a_second_customer_is_refused_with_a_problem() {
        ApiClient api = new ApiClient(baseUrl());
        TestSubscriber first = testCustomers.subscriber("Api Picker");
        TestSubscriber second = testCustomers.subscriber("Api Rival");
        String token = api.signIn(clock, first.msisdn(), first.password(), this::latestCodeSentTo);
        String rival = api.signIn(clock, second.msisdn(), second.password(), this::latestCodeSentTo);

        ApiClient.Reply found = api.get("/api/v1/numbers?digits=8888&lucky=true&limit=5", token);
        assertThat(found.status()).isEqualTo(200);
        var numbers = found.json();
        assertThat(numbers.size()).isBetween(1, 5);
        numbers.forEach(n -> {
            assertThat(n.get("msisdn").asString()).contains("8888");
            assertThat(n.get("lucky").asBoolean()).isTrue();
            assertThat(n.get("price").get("unit").asString()).isEqualTo("CNY");
            assertThat(n.get("price").get("value").decimalValue()).isPositive();
        });
        assertThat(Integer.parseInt(found.header("X-Total-Count"))).isGreaterThanOrEqualTo(numbers.size());
        assertThat(found.header("X-Result-Count")).isEqualTo(Integer.toString(numbers.size()));

        String chosen = numbers.get(0).get("msisdn").asString();
        ApiClient.Reply held = api.post("/api/v1/numbers/" + chosen + "/hold", Map.of(), token);
        assertThat(held.status()).isEqualTo(201);
        assertThat(held.json().get("msisdn").asString()).isEqualTo(chosen);
        assertThat(pool.holdOf(first.customerId(), clock.instant())).map(h -> h.msisdn().value()).contains(chosen);

        ApiClient.Reply refused = api.post("/api/v1/numbers/" + chosen + "/hold", Map.of(), rival);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("code").asString()).isEqualTo("number.taken");
        assertThat(pool.holdOf(second.customerId(), clock.instant())).isEmpty();
        assertThat(api.get("/api/v1/numbers/hold", rival).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/numbers/hold", token).json().get("msisdn").asString()).isEqualTo(chosen);

        assertThat(api.delete("/api/v1/numbers/" + chosen + "/hold", token).status()).isEqualTo(204);
        assertThat(pool.holdOf(first.customerId(), clock.instant())).isEmpty();
        assertThat(api.get("/api/v1/numbers/hold", token).status()).isEqualTo(404);
    }

    @Test
    void bad_digits_an_unknown_number_and_no_token_are_answered_with_problems_and_change_nothing() {
        ApiClient api = new ApiClient(baseUrl());
        TestSubscriber s = testCustomers.subscriber("Api Bad Input");
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);

        ApiClient.Reply letters = api.get("/api/v1/numbers?digits=88a8", token);
        assertThat(letters.status()).isEqualTo(400);
        assertThat(letters.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.post("/api/v1/numbers/17399999999/hold", Map.of(), token).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/numbers/12345/hold", Map.of(), token).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/numbers", null).status()).isEqualTo(401);
        assertThat(pool.holdOf(s.customerId(), clock.instant())).isEmpty();
    }
}
