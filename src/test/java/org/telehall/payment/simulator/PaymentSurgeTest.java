package org.telehall.payment.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.TestPropertySource;
import org.telehall.identity.ApiTokens;
import org.telehall.identity.HallUser;
import org.telehall.identity.Role;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Money;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/**
 * Surge: new payment orders are admitted exactly up to the per-payer and per-node limits, however
 * many arrive at once; the rest get 429 + Retry-After (API) or the calm busy page (hall), nothing
 * is created for them, and reading, notifications and crediting go on. The test clock stands still
 * during each burst, so the buckets get no refill and the counts are exact, not "at most".
 */
@TestPropertySource(properties = {
        "telehall.payments.surge.per-user=3", "telehall.payments.surge.per-user-period=1h",
        "telehall.payments.surge.node=5", "telehall.payments.surge.node-period=1h"})
class PaymentSurgeTest extends HallIntegrationTest {

    static final int BURST = 16;

    @Autowired TestCustomers testCustomers;
    @Autowired ApiTokens tokens;
    @Autowired Ledger ledger;
    @Autowired SimulatorNotifier notifier;
    @Autowired @Qualifier("alipaySimulator") SimulatedProvider alipay;

    @Test
    void concurrent_requests_are_admitted_exactly_to_the_limits_and_the_rest_are_told_politely_to_wait() throws Exception {
        ApiClient api = new ApiClient(baseUrl());
        TestSubscriber a = testCustomers.subscriber("Surge A");
        TestSubscriber b = testCustomers.subscriber("Surge B");
        TestSubscriber c = testCustomers.subscriber("Surge C");
        String tokenA = token(a);
        String tokenB = token(b);
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, c.msisdn(), c.password(), this::latestCodeSentTo);   // moves the clock: before any burst

        // A: 16 at once, 3 admitted by A's own limit
        List<ApiClient.Reply> burstA = burst(api, tokenA, a.msisdn());
        assertThat(statuses(burstA, 201)).isEqualTo(3);
        assertThat(statuses(burstA, 429)).isEqualTo(BURST - 3);
        assertThat(ordersOf(a)).isEqualTo(3);
        for (ApiClient.Reply refused : burstA.stream().filter(r -> r.status() == 429).toList()) {
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
            assertThat(refused.json().get("code").asString()).isEqualTo("payment.busy");
            assertThat(refused.json().get("limit").asString()).isEqualTo("user");
            assertThat(refused.json().get("retryAfterSeconds").asLong()).isEqualTo(Long.parseLong(refused.header("Retry-After")));
        }

        // B: the node has 2 of its 5 left, so 2 of B's 16 get through although B's own limit is 3
        List<ApiClient.Reply> burstB = burst(api, tokenB, b.msisdn());
        assertThat(statuses(burstB, 201)).isEqualTo(2);
        assertThat(statuses(burstB, 429)).isEqualTo(BURST - 2);
        assertThat(burstB.stream().filter(r -> r.status() == 429).map(r -> r.json().get("limit").asString())).containsOnly("node");
        assertThat(ordersOf(b)).isEqualTo(2);
        assertThat(burstA).noneMatch(r -> r.status() >= 500);
        assertThat(burstB).noneMatch(r -> r.status() >= 500);

        // the hall: the busy page, in Chinese and English, no order made, the same form under the same key offered again
        web.get("/topup");
        var busy = web.post("/topup", Map.of("msisdn", c.msisdn(), "amount", "50", "method", "alipay", "key", "surge-c-1"));
        assertThat(busy.statusCode()).isEqualTo(429);
        assertThat(busy.headers().firstValue("Retry-After")).isPresent();
        assertThat(busy.body()).contains("您的钱是安全的").contains("没有扣款").contains("¥50.00").contains("value=\"surge-c-1\"")
                .contains("data-testid=\"busy-retry\"");
        web.get("/lang?to=en&back=/topup");
        assertThat(web.post("/topup", Map.of("msisdn", c.msisdn(), "amount", "50", "method", "alipay", "key", "surge-c-1")).body())
                .contains("Your money is safe").contains("nothing was charged");
        assertThat(ordersOf(c)).isZero();

        // reading and the provider's notifications are never limited: one of A's orders is paid and credited now
        ApiClient.Reply list = api.get("/tmf-api/paymentManagement/v4/payment", tokenA);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().size()).isEqualTo(3);
        assertThat(web.get("/payments").statusCode()).isEqualTo(200);
        assertThat(web.get("/topup").statusCode()).isEqualTo(200);
        String outTradeNo = "TH" + burstA.stream().filter(r -> r.status() == 201).findFirst().orElseThrow().json().get("id").asString();
        assertThat(notifier.post("alipay", alipay.notification(alipay.pay(outTradeNo).orElseThrow()))).isEqualTo("success");
        assertThat(ledger.balanceOf(a.customerId())).isEqualTo(Money.ofYuan(30));

        // an hour later the buckets are full again (and A's token has lapsed: a new one)
        clock.advance(Duration.ofHours(1));
        assertThat(create(api, token(a), a.msisdn(), UUID.randomUUID().toString()).status()).isEqualTo(201);
        assertThat(ordersOf(a)).isEqualTo(4);
    }

    private List<ApiClient.Reply> burst(ApiClient api, String token, String msisdn) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(BURST);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<ApiClient.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                replies.add(pool.submit((Callable<ApiClient.Reply>) () -> {
                    start.await();
                    return create(api, token, msisdn, UUID.randomUUID().toString());
                }));
            }
            start.countDown();
            List<ApiClient.Reply> got = new ArrayList<>();
            for (Future<ApiClient.Reply> f : replies) {
                got.add(f.get());
            }
            return got;
        } finally {
            pool.shutdown();
        }
    }

    private static ApiClient.Reply create(ApiClient api, String token, String msisdn, String key) {
        return api.post("/api/v1/topups", Map.of("msisdn", msisdn, "amount", Map.of("unit", "CNY", "value", new BigDecimal("30")),
                "method", "alipay"), token, Map.of("Idempotency-Key", key));
    }

    private static long statuses(List<ApiClient.Reply> replies, int status) {
        return replies.stream().filter(r -> r.status() == status).count();
    }

    private long ordersOf(TestSubscriber s) {
        return jdbc.sql("select count(*) from payment_order where payer_customer_id = ?").param(s.customerId()).query(Long.class).single();
    }

    private String token(TestSubscriber s) {
        long userId = jdbc.sql("select id from app_user where username = ?").param(s.msisdn()).query(Long.class).single();
        return tokens.issue(new HallUser(userId, s.msisdn(), Role.SUBSCRIBER, s.customerId(), s.msisdn())).accessToken();
    }
}
