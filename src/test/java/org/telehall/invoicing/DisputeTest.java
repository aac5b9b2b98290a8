package org.telehall.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.care.Tickets;
import org.telehall.customer.Customer;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.TestLines;
import org.telehall.support.WebSession;
import org.telehall.usage.Rating;
import org.telehall.usage.UsageSubmission;
import org.telehall.usage.UsageType;

/**
 * Disputes checked against the rated records and the catalogue price that applied. The plan here
 * cost 0.10 yuan a minute until an hour ago and 0.30 since; a call made before the change but rated
 * after it was charged at the new price — an overcharge the dispute finds and refunds twice over.
 */
class DisputeTest extends HallIntegrationTest {

    private static final AtomicInteger PLANS = new AtomicInteger();

    @Autowired Disputes disputes;
    @Autowired Rating rating;
    @Autowired Ledger ledger;
    @Autowired Tickets tickets;
    @Autowired TestCustomers testCustomers;
    @Autowired TestLines testLines;

    TestSubscriber s;
    String plan;
    Instant priceChange;

    @BeforeEach
    void aLineOnAPlanWhosePriceRoseAnHourAgo() {
        s = testCustomers.subscriber("争议人");
        // the catalogue's own clock is the wall clock, which the test clock never lags
        priceChange = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        plan = "test-dispute-plan-" + ProcessHandle.current().pid() + "-" + PLANS.incrementAndGet();
        jdbc.sql("insert into catalog_offering (id, kind, category, name_zh, name_en, on_sale) values (?, 'PLAN', 'TEST', '测试套餐', 'Test plan', false)")
                .param(plan).update();
        jdbc.sql("""
                insert into catalog_price (offering_id, version, recurring_fee_fen, voice_overage_fen_per_min, sms_overage_fen,
                                           data_overage_fen_per_mb, valid_from, valid_to)
                values (?, 1, 1000, 10, 10, 3, ?, ?), (?, 2, 1000, 30, 10, 3, ?, null)""")
                .params(plan, Timestamp.from(priceChange.minus(Duration.ofDays(400))), Timestamp.from(priceChange),
                        plan, Timestamp.from(priceChange)).update();
        testLines.plan(s, plan, 1_000_000, 0, 100, Instant.now());
        testLines.topUp(s, Money.ofYuan(100), "dispute-test-topup-" + s.msisdn());
    }

    @Test
    void a_call_rated_at_a_price_that_did_not_yet_apply_is_refunded_twice_over_exactly_once() throws Exception {
        Instant callAt = priceChange.minus(Duration.ofMinutes(30));
        call("early", callAt, 150);                                           // 3 minutes at 0.30 instead of 0.10
        call("late", priceChange.plus(Duration.ofMinutes(10)), 60);          // 1 minute at 0.30, rightly
        String month = YearMonth.from(callAt.atZone(Customer.ZONE)).toString();
        Money before = ledger.balanceOf(s.customerId());

        Disputes.Charge charge = disputes.monthCharge(s.customerId(), s.lineId(), UsageType.VOICE, month);
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Disputes.Opened> opened = new ArrayList<>();
        try {
            List<Future<Disputes.Opened>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return disputes.open(s.customerId(), charge, "提前打的电话按新价收费了");
                }));
            }
            start.countDown();
            for (Future<Disputes.Opened> f : futures) {
                opened.add(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(opened).extracting(o -> o.dispute().id()).containsOnly(opened.get(0).dispute().id());
        assertThat(opened).filteredOn(o -> !o.existing()).hasSize(1);

        Dispute d = opened.get(0).dispute();
        assertThat(d.outcome()).isEqualTo(DisputeOutcome.REFUNDED);
        assertThat(d.billed()).isEqualTo(Money.ofFen(120));
        assertThat(d.overcharge()).isEqualTo(Money.ofFen(60));
        assertThat(d.refund()).isEqualTo(Money.ofFen(120));
        assertThat(d.records()).hasSize(2);
        assertThat(d.records()).filteredOn(c -> c.overcharge().isPositive()).singleElement().satisfies(c -> {
            assertThat(c.record().startedAt()).isEqualTo(callAt);
            assertThat(c.maxCharge()).isEqualTo(Money.ofFen(30));
            assertThat(c.priceVersion()).isEqualTo(1);
        });
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(before.plus(Money.ofFen(120)));
        assertThat(jdbc.sql("select count(*) from journal_entry where business_key = ?").param(Dispute.refundKey(d.id()))
                .query(Long.class).single()).isEqualTo(1);
        assertThat(sms.sentTo(s.msisdn(), 1).get(0).body()).contains("多收 ¥0.60").contains("双倍退还 ¥1.20");

        // disputing it again, through the API this time, answers the same dispute and refunds nothing more
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        var again = api.post("/api/v1/bill-disputes", Map.of("msisdn", s.msisdn(), "month", month, "category", "voice",
                "description", "再问一次"), token);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(Long.toString(d.id()));
        assertThat(again.json().get("outcome").asString()).isEqualTo("refunded");
        assertThat(again.json().get("refundAmount").get("value").decimalValue()).isEqualByComparingTo("1.20");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(before.plus(Money.ofFen(120)));
        assertThat(api.post("/api/v1/bill-disputes/" + d.id() + "/escalation", Map.of(), token).status()).isEqualTo(422);
    }

    @Test
    void a_right_charge_is_explained_with_its_records_and_escalation_opens_one_ticket_in_the_agent_console() {
        Instant at = priceChange.plus(Duration.ofMinutes(5));
        call("right", at, 61);                                              // 2 minutes at 0.30
        String month = YearMonth.from(at.atZone(Customer.ZONE)).toString();
        Money before = ledger.balanceOf(s.customerId());

        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        var created = api.post("/api/v1/bill-disputes", Map.of("msisdn", s.msisdn(), "month", month, "category", "voice",
                "description", "我没打这个电话"), token);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("outcome").asString()).isEqualTo("explained");
        assertThat(created.json().get("refundAmount").get("value").decimalValue()).isEqualByComparingTo("0");
        assertThat(created.json().get("billedAmount").get("value").decimalValue()).isEqualByComparingTo("0.60");
        assertThat(created.json().get("records")).hasSize(1);
        assertThat(created.json().get("records").get(0).get("priceVersion").asInt()).isEqualTo(2);
        assertThat(created.json().get("message").asString()).contains("无误");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(before);
        long id = Long.parseLong(created.json().get("id").asString());

        var escalated = api.post("/api/v1/bill-disputes/" + id + "/escalation", Map.of(), token);
        assertThat(escalated.status()).isEqualTo(200);
        assertThat(escalated.json().get("outcome").asString()).isEqualTo("escalated");
        String ticketId = escalated.json().get("ticketId").asString();
        assertThat(api.post("/api/v1/bill-disputes/" + id + "/escalation", Map.of(), token).json().get("ticketId").asString()).isEqualTo(ticketId);
        var ticket = tickets.get(Long.parseLong(ticketId));
        assertThat(ticket.category()).isEqualTo(Tickets.BILL_DISPUTE);
        assertThat(ticket.customerId()).isEqualTo(s.customerId());
        assertThat(ticket.body()).contains("我没打这个电话");
        assertThat(jdbc.sql("select count(*) from care_ticket where reference = ?").param(Dispute.refundKey(id)).query(Long.class).single())
                .isEqualTo(1);

        WebSession agent = new WebSession(baseUrl());
        agent.get("/login");
        clock.advance(Duration.ofMinutes(6));
        agent.post("/login", Map.of("msisdn", "agent", "password", "Agent@2026"));
        assertThat(agent.get("/agent").body()).contains("/agent/tickets");
        String queue = agent.get("/agent/tickets").body();
        assertThat(queue).contains(ticket.subject()).contains("data-reference=\"" + Dispute.refundKey(id) + "\"").doesNotContain("争议人");
    }

    @Test
    void only_ones_own_lines_and_recent_months_can_be_disputed_and_a_reason_is_needed() {
        TestSubscriber other = testCustomers.subscriber("别人");
        assertThatThrownBy(() -> disputes.monthCharge(other.customerId(), s.lineId(), UsageType.VOICE, null)).isInstanceOf(NotFoundException.class);
        String old = YearMonth.now(clock.withZone(Customer.ZONE)).minusMonths(6).toString();
        assertThatThrownBy(() -> disputes.monthCharge(s.customerId(), s.lineId(), UsageType.VOICE, old))
                .hasFieldOrPropertyWithValue("code", "invoicing.dispute.error.month");
        Disputes.Charge charge = disputes.monthCharge(s.customerId(), s.lineId(), UsageType.SMS, null);
        assertThatThrownBy(() -> disputes.open(s.customerId(), charge, "  ")).hasFieldOrPropertyWithValue("code", "invoicing.dispute.error.description");
        Dispute d = disputes.open(s.customerId(), charge, "短信费不对").dispute();
        assertThatThrownBy(() -> disputes.get(other.customerId(), d.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> disputes.escalate(other.customerId(), d.id())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void the_pages_take_a_dispute_from_the_usage_detail_to_the_answer_and_to_a_person() {
        Instant at = priceChange.plus(Duration.ofMinutes(5));
        call("page", at, 30);
        String month = YearMonth.from(at.atZone(Customer.ZONE)).toString();
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        assertThat(web.get("/usage?month=" + month + "&type=VOICE").body()).contains("/disputes/new?month=" + month + "&amp;type=VOICE");
        assertThat(web.get("/disputes/new?month=" + month + "&type=VOICE").body()).contains("费用有疑问");
        var refused = web.post("/disputes", Map.of("month", month, "type", "VOICE", "description", ""));
        assertThat(WebSession.location(refused)).contains("/disputes/new");
        assertThat(web.get(WebSession.location(refused).replace(baseUrl(), "")).body()).contains("请说明哪里不对");

        var done = web.post("/disputes", Map.of("month", month, "type", "VOICE", "description", "我觉得贵了"));
        String location = WebSession.location(done);
        assertThat(location).matches(".*/disputes/\\d+");
        String page = web.get(location.replace(baseUrl(), "")).body();
        assertThat(page).contains("这项费用无误").contains("¥0.30").contains("转人工客服");
        web.post(location.replace(baseUrl(), "") + "/escalation", Map.of());
        assertThat(web.get(location.replace(baseUrl(), "")).body()).contains("已转人工客服（工单");
    }

    private void call(String tag, Instant at, int seconds) {
        var outcome = rating.rate(List.of(new UsageSubmission("dispute-" + tag + "-" + s.msisdn(), s.msisdn(), "voice", "out", at.toString(),
                "13912345678", BigDecimal.valueOf(seconds), "s", null)));
        assertThat(outcome).singleElement().satisfies(o -> assertThat(o.status()).isEqualTo(org.telehall.usage.RatingOutcome.Status.RATED));
    }
}
