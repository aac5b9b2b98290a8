package org.telehall.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Money;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestLines;
import tools.jackson.databind.JsonNode;

/** Usage in through {@code POST /api/v1/usage-batches}, the way the network's mediation sends it. */
class UsageBatchApiTest extends HallIntegrationTest {

    @Autowired
    TestCustomers testCustomers;

    @Autowired
    TestLines testLines;

    @Autowired
    Ledger ledger;

    static String data(String id, String msisdn, Instant at, long kb) {
        return usage(id, "data", at.toString(), "{\"name\":\"msisdn\",\"value\":\"" + msisdn + "\"},{\"name\":\"quantity\",\"value\":{\"amount\":" + kb + ",\"units\":\"KB\"}}");
    }

    static String usage(String id, String type, String at, String characteristics) {
        return "{\"id\":\"" + id + "\",\"usageDate\":\"" + at + "\",\"usageType\":\"" + type + "\",\"usageCharacteristic\":[" + characteristics + "]}";
    }

    static String batch(List<String> records) {
        return "[" + String.join(",", records) + "]";
    }

    private ApiClient api() {
        return new ApiClient(baseUrl());
    }

    @Test
    void a_network_client_gets_a_token_and_a_batch_rates_the_good_records_and_rejects_each_bad_one_with_its_reason() {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("Batch");
        Instant now = clock.instant();
        testLines.plan(s, "plan-5g-58", 100_000, 300, 100, now);
        String run = Long.toString(System.nanoTime());
        String good = data("b1-" + run, s.msisdn(), now.minusSeconds(60), 2048);
        String voice = usage("b2-" + run, "voice", now.minusSeconds(30).toString(),
                "{\"name\":\"msisdn\",\"value\":\"" + s.msisdn() + "\"},{\"name\":\"durationSeconds\",\"value\":61},{\"name\":\"otherParty\",\"value\":\"13912345678\"}");
        String unknownLine = data("b3-" + run, "17999999999", now.minusSeconds(60), 10);
        String negative = data("b4-" + run, s.msisdn(), now.minusSeconds(60), -5);
        String badTime = usage("b5-" + run, "data", "yesterday at noon", "{\"name\":\"msisdn\",\"value\":\"" + s.msisdn() + "\"},{\"name\":\"volumeKB\",\"value\":5}");
        String future = data("b6-" + run, s.msisdn(), now.plus(Duration.ofDays(1)), 10);

        ApiClient.Reply reply = api().postJson("/api/v1/usage-batches", batch(List.of(good, voice, unknownLine, negative, badTime, future)),
                api().networkToken());

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("rated").asInt()).isEqualTo(2);
        assertThat(body.get("rejected").asInt()).isEqualTo(4);
        JsonNode results = body.get("results");
        assertThat(results.get(0).get("status").asString()).isEqualTo("rated");
        assertThat(results.get(2).get("reason").asString()).isEqualTo("unknown-line");
        assertThat(results.get(2).get("reasonText").asString()).isEqualTo("号码不存在");
        assertThat(results.get(3).get("reason").asString()).isEqualTo("negative-quantity");
        assertThat(results.get(4).get("reason").asString()).isEqualTo("bad-time");
        assertThat(results.get(5).get("reason").asString()).isEqualTo("future-time");
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(2048);
        assertThat(testLines.used(testLines.bucketOf(s, "VOICE", "PLAN"))).as("61 s is 2 minutes").isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from usage_record where line_id = ?").param(s.lineId()).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void a_subscriber_token_may_not_post_usage_and_no_token_is_unauthorized() {
        String subscriber = api().signIn(clock, DEMO_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        ApiClient.Reply forbidden = api().postJson("/api/v1/usage-batches", "[]", subscriber);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.header("Content-Type")).contains("application/problem+json");
        assertThat(api().postJson("/api/v1/usage-batches", "[]", null).status()).isEqualTo(401);
        assertThat(api().clientCredentials("demo-network", "wrong-secret").status()).isEqualTo(401);
    }

    @Test
    void a_network_token_is_not_a_subscriber_and_reads_no_customer_data() {
        ApiClient.Reply reply = api().get("/tmf-api/prepayBalanceManagement/v4/bucket", api().networkToken());
        assertThat(reply.status()).isEqualTo(403);
    }

    @Test
    void a_record_sent_twice_in_one_batch_and_again_later_is_rated_once() {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("Twice");
        Instant now = clock.instant();
        testLines.plan(s, "plan-5g-58", 100_000, 300, 100, now);
        String id = "dup-" + System.nanoTime();
        String record = data(id, s.msisdn(), now.minusSeconds(10), 1000);
        String token = api().networkToken();

        JsonNode first = api().postJson("/api/v1/usage-batches", batch(List.of(record, record)), token).json();
        JsonNode again = api().postJson("/api/v1/usage-batches", batch(List.of(record)), token).json();

        assertThat(first.get("rated").asInt()).isEqualTo(1);
        assertThat(first.get("duplicates").asInt()).isEqualTo(1);
        assertThat(again.get("results").get(0).get("status").asString()).isEqualTo("duplicate");
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(1000);
    }

    @Test
    void the_same_batch_from_two_nodes_at_the_same_moment_is_rated_once() throws Exception {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("TwoNodes");
        Instant now = clock.instant();
        testLines.plan(s, "plan-5g-58", 1_000_000, 300, 100, now);
        List<String> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(data("node-" + System.nanoTime() + "-" + i, s.msisdn(), now.minusSeconds(i + 1), 100));
        }
        String body = batch(records);
        String token = api().networkToken();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                calls.add(() -> api().postJson("/api/v1/usage-batches", body, token).json());
            }
            int rated = 0;
            for (Future<JsonNode> f : pool.invokeAll(calls)) {
                rated += f.get().get("rated").asInt();
            }
            assertThat(rated).isEqualTo(200);
        } finally {
            pool.shutdown();
        }
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(200 * 100);
        assertThat(jdbc.sql("select count(*) from usage_record where line_id = ?").param(s.lineId()).query(Long.class).single()).isEqualTo(200);
    }

    @Test
    void a_batch_over_ten_thousand_records_is_refused_as_a_problem() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i <= Rating.MAX_BATCH; i++) {
            json.append(i == 0 ? "" : ",").append("{}");
        }
        ApiClient.Reply reply = api().postJson("/api/v1/usage-batches", json.append("]").toString(), api().networkToken());
        assertThat(reply.status()).isEqualTo(413);
        assertThat(reply.json().get("type").asString()).endsWith("/batch-too-large");
    }

    @Test
    void overage_is_charged_to_the_ledger_once_per_line_and_type_in_a_batch() {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("Overage");
        Instant now = clock.instant();
        testLines.plan(s, "plan-5g-58", 1024, 300, 100, now);
        testLines.topUp(s, Money.ofYuan(10), "test:overage:" + s.customerId());
        String run = Long.toString(System.nanoTime());
        // 1 MB allowance, then 3 records of 1 MB each past it at ¥0.01/MB
        List<String> records = List.of(data("o1-" + run, s.msisdn(), now.minusSeconds(40), 1024),
                data("o2-" + run, s.msisdn(), now.minusSeconds(30), 1024),
                data("o3-" + run, s.msisdn(), now.minusSeconds(20), 1024),
                data("o4-" + run, s.msisdn(), now.minusSeconds(10), 1024));
        JsonNode body = api().postJson("/api/v1/usage-batches", batch(records), api().networkToken()).json();
        assertThat(body.get("results").get(0).get("charge").get("value").decimalValue()).isZero();
        assertThat(body.get("results").get(3).get("charge").get("value").decimalValue()).isEqualByComparingTo("0.01");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofFen(1000 - 3));
        assertThat(ledger.historySize(s.customerId())).as("the top-up and one usage posting").isEqualTo(2);
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(ledger.balanceOf(s.customerId()));
    }
}
