package org.telehall.payment.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.PaymentRefunded;
import org.telehall.payment.PaymentSettled;
import org.telehall.payment.PaymentStatus;
import org.telehall.payment.Payments;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.identity.ApiTokens;
import org.telehall.identity.HallUser;
import org.telehall.identity.Role;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/** Bills paid through a provider, and refunds reversed through the journal and the provider, each exactly once. */
@RecordApplicationEvents
class RefundAndBillPaymentTest extends HallIntegrationTest {

    @Autowired Payments payments;
    @Autowired Ledger ledger;
    @Autowired TestCustomers testCustomers;
    @Autowired SimulatorNotifier notifier;
    @Autowired @Qualifier("alipaySimulator") SimulatedProvider alipay;
    @Autowired ApplicationEvents events;
    @Autowired ApiTokens tokens;

    @Test
    void a_bill_payment_credits_the_account_as_a_bill_payment_and_tells_billing_which_bill_once() {
        TestSubscriber s = testCustomers.subscriber("Bill Payer");
        String key = UUID.randomUUID().toString();
        Payment p = payments.createBillPayment(billRequest(s, "B-2026-10-77", Money.ofFen(12_345), key)).payment();
        assertThat(p.forBill()).isTrue();
        assertThat(p.reference()).isEqualTo("B-2026-10-77");
        assertThat(payments.createBillPayment(billRequest(s, "B-2026-10-77", Money.ofFen(12_345), key)).payment().id()).isEqualTo(p.id());
        assertThatThrownBy(() -> payments.createBillPayment(billRequest(s, "B-2026-11-01", Money.ofFen(12_345), key)))
                .hasFieldOrPropertyWithValue("code", "payment.key-reused");

        var trade = alipay.pay(p.outTradeNo()).orElseThrow();
        // settled on this thread (the recorded events are this thread's), then the notification arrives twice anyway
        assertThat(payments.settle(PaymentMethod.ALIPAY, p.outTradeNo(), trade.tradeNo(), Money.ofFen(12_345), "query"))
                .isEqualTo(Payments.Settlement.CREDITED);
        assertThat(notifier.post("alipay", alipay.notification(trade))).isEqualTo("success");
        assertThat(notifier.post("alipay", alipay.notification(trade))).isEqualTo("success");

        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofFen(12_345));
        assertThat(jdbc.sql("select e.reason_code from journal_entry e where e.business_key = ?").param("payment:" + p.id())
                .query(String.class).single()).isEqualTo(ReasonCodes.BILL_PAYMENT);
        assertThat(events.stream(PaymentSettled.class).filter(e -> e.paymentId() == p.id())).singleElement().satisfies(e -> {
            assertThat(e.purpose()).isEqualTo("BILL");
            assertThat(e.reference()).isEqualTo("B-2026-10-77");
            assertThat(e.targetCustomerId()).isEqualTo(s.customerId());
            assertThat(e.amount()).isEqualTo(Money.ofFen(12_345));
        });
    }

    @Test
    void a_refund_reverses_the_credit_and_refunds_at_the_provider_once_however_often_it_is_asked() {
        TestSubscriber s = testCustomers.subscriber("Refunded Payer");
        Payment p = paidTopup(s, Money.ofYuan(80));
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(80));

        Payment refunded = payments.refund(p.id(), "agent", "customer topped up the wrong amount");
        Payment again = payments.refund(p.id(), "agent", "asked twice");

        assertThat(refunded.status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(again.status()).isEqualTo(PaymentStatus.REFUNDED);
        assertThat(refunded.refundReason()).isEqualTo("customer topped up the wrong amount");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ZERO);
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(Money.ZERO);
        assertThat(jdbc.sql("select count(*) from journal_entry where business_key = ?").param("refund:" + p.id()).query(Long.class).single())
                .isEqualTo(1);
        SimulatedProvider.Trade atProvider = alipay.trade(p.outTradeNo()).orElseThrow();
        assertThat(atProvider.status()).isEqualTo("REFUNDED");
        assertThat(atProvider.refundNo()).isEqualTo("RF" + p.id());
        assertThat(events.stream(PaymentRefunded.class).filter(e -> e.paymentId() == p.id())).hasSize(1);
        assertThat(refunded.timeline()).extracting(Payment.Event::step).endsWith("REFUNDED");
        assertThat(sms.sentTo(s.msisdn(), 1).get(0).body()).contains("已退款 ¥80.00").contains(p.outTradeNo());
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'payment.refund' and subject = ?").param("payment:" + p.id())
                .query(Long.class).single()).isEqualTo(1);
        // a notification replayed after the refund credits nothing
        assertThat(notifier.post("alipay", alipay.notification(alipay.trade(p.outTradeNo()).orElseThrow()))).isIn("success", "fail");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ZERO);
    }

    @Test
    void a_refund_the_balance_no_longer_covers_or_of_an_unpaid_order_changes_nothing() {
        TestSubscriber s = testCustomers.subscriber("Spent It");
        Payment p = paidTopup(s, Money.ofYuan(50));
        ledger.charge(new Posting(s.customerId(), Money.ofYuan(20), "test:spent:" + UUID.randomUUID(), ReasonCodes.PACK_FEE, "pack"), "CHARGE");

        assertThatThrownBy(() -> payments.refund(p.id(), "agent", "wants it back"))
                .isInstanceOf(BusinessRuleException.class).hasFieldOrPropertyWithValue("code", "payment.refund-balance-short");
        assertThat(payments.get(s.customerId(), p.id()).status()).isEqualTo(PaymentStatus.PAID);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(30));
        assertThat(alipay.trade(p.outTradeNo()).orElseThrow().status()).isEqualTo("TRADE_SUCCESS");

        Payment pending = payments.createTopup(topupRequest(s, Money.ofYuan(30), UUID.randomUUID().toString())).payment();
        assertThatThrownBy(() -> payments.refund(pending.id(), "agent", "never paid"))
                .hasFieldOrPropertyWithValue("code", "payment.refund-not-paid");
        assertThatThrownBy(() -> payments.refund(p.id(), "agent", " "))
                .hasFieldOrPropertyWithValue("code", "payment.refund-reason");
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(ledger.balanceOf(s.customerId()));
    }

    @Test
    void an_agent_finds_a_payment_by_its_order_number_and_refunds_it_and_the_payer_sees_it_refunded() {
        TestSubscriber s = testCustomers.subscriber("Counter Refund");
        Payment p = paidTopup(s, Money.ofYuan(30));
        WebSession agent = new WebSession(baseUrl());
        agent.get("/login");
        assertThat(WebSession.location(agent.post("/login", Map.of("msisdn", "agent", "password", "Agent@2026")))).endsWith("/");

        String found = agent.get("/agent/payments?q=" + p.outTradeNo()).body();
        assertThat(found).contains(p.outTradeNo()).contains("¥30.00").doesNotContain(s.msisdn());
        HttpResponse<String> refused = agent.post("/agent/payments/" + p.id() + "/refund", Map.of("reason", ""));
        assertThat(agent.get(WebSession.location(refused).replaceFirst("^https?://[^/]+", "")).body()).contains("请填写退款原因");
        assertThat(payments.get(s.customerId(), p.id()).status()).isEqualTo(PaymentStatus.PAID);

        HttpResponse<String> done = agent.post("/agent/payments/" + p.id() + "/refund", Map.of("reason", "double payment"));
        assertThat(agent.get(WebSession.location(done).replaceFirst("^https?://[^/]+", "")).body()).contains("已退款");
        assertThat(payments.get(s.customerId(), p.id()).status()).isEqualTo(PaymentStatus.REFUNDED);

        WebSession subscriber = new WebSession(baseUrl());
        assertThat(subscriber.get("/agent/payments").statusCode()).as("not for subscribers or strangers").isNotEqualTo(200);
    }

    @Test
    void staff_refund_through_the_api_and_a_subscriber_may_not() {
        TestSubscriber s = testCustomers.subscriber("API Refund");
        Payment p = paidTopup(s, Money.ofYuan(45));
        ApiClient api = new ApiClient(baseUrl());
        long agentId = jdbc.sql("select id from app_user where username = 'agent'").query(Long.class).single();
        String agent = tokens.issue(new HallUser(agentId, "agent", Role.AGENT, null, "agent")).accessToken();
        String subscriber = tokens.issue(new HallUser(userId(s), s.msisdn(), Role.SUBSCRIBER, s.customerId(), "API Refund")).accessToken();
        String path = "/api/v1/payments/" + p.id() + "/refund";

        assertThat(api.post(path, Map.of("reason", "mine"), subscriber).status()).isEqualTo(403);
        ApiClient.Reply noReason = api.post(path, Map.of(), agent);
        assertThat(noReason.status()).isEqualTo(422);
        assertThat(noReason.header("Content-Type")).startsWith("application/problem+json");
        assertThat(payments.get(s.customerId(), p.id()).status()).isEqualTo(PaymentStatus.PAID);

        ApiClient.Reply refunded = api.post(path, Map.of("reason", "paid twice"), agent);
        assertThat(refunded.status()).isEqualTo(200);
        assertThat(refunded.json().get("status").asString()).isEqualTo("refunded");
        assertThat(api.post(path, Map.of("reason", "again"), agent).json().get("status").asString()).isEqualTo("refunded");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ZERO);
        assertThat(api.post("/api/v1/payments/999999999/refund", Map.of("reason", "x"), agent).status()).isEqualTo(404);
    }

    private Payment paidTopup(TestSubscriber s, Money amount) {
        Payment p = payments.createTopup(topupRequest(s, amount, UUID.randomUUID().toString())).payment();
        assertThat(notifier.post("alipay", alipay.notification(alipay.pay(p.outTradeNo()).orElseThrow()))).isEqualTo("success");
        assertThat(payments.get(s.customerId(), p.id()).status()).isEqualTo(PaymentStatus.PAID);
        return p;
    }

    private long userId(TestSubscriber s) {
        return jdbc.sql("select id from app_user where username = ?").param(s.msisdn()).query(Long.class).single();
    }

    private Payments.TopupRequest topupRequest(TestSubscriber s, Money amount, String key) {
        return new Payments.TopupRequest(s.customerId(), userId(s), s.msisdn(), amount, PaymentMethod.ALIPAY, "WEB", key);
    }

    private Payments.BillPaymentRequest billRequest(TestSubscriber s, String bill, Money amount, String key) {
        return new Payments.BillPaymentRequest(s.customerId(), userId(s), s.msisdn(), amount, PaymentMethod.ALIPAY, "WEB", bill, key);
    }
}
