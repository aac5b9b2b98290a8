package org.telehall.payment.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.telehall.customer.LineSuspension;
import org.telehall.ledger.Ledger;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.PaymentStatus;
import org.telehall.payment.Payments;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;

/**
 * Money in, exactly once: idempotent creation, signed notifications (duplicated, forged, wrong
 * amount, unknown order), the order query when no notification comes, and top-ups for other lines.
 */
class PaymentTest extends HallIntegrationTest {

    @Autowired Payments payments;
    @Autowired Ledger ledger;
    @Autowired TestCustomers testCustomers;
    @Autowired SimulatorNotifier notifier;
    @Autowired @Qualifier("alipaySimulator") SimulatedProvider alipay;
    @Autowired LineSuspension suspension;

    @Test
    void the_same_idempotency_key_returns_the_same_order_and_a_different_request_under_it_is_refused() throws Exception {
        TestSubscriber s = testCustomers.subscriber("Key Reuser");
        String key = UUID.randomUUID().toString();
        Payments.Created first = payments.createTopup(request(s, s.msisdn(), Money.ofYuan(50), key));
        Payments.Created again = payments.createTopup(request(s, s.msisdn(), Money.ofYuan(50), key));
        assertThat(first.replayed()).isFalse();
        assertThat(again.replayed()).isTrue();
        assertThat(again.payment().id()).isEqualTo(first.payment().id());
        assertThatThrownBy(() -> payments.createTopup(request(s, s.msisdn(), Money.ofYuan(100), key)))
                .isInstanceOf(BusinessRuleException.class).hasFieldOrPropertyWithValue("code", "payment.key-reused");

        // ten requests with one new key at the same moment make one order
        String shared = UUID.randomUUID().toString();
        ExecutorService pool = Executors.newFixedThreadPool(10);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(pool.submit((Callable<Long>) () -> {
                start.await();
                return payments.createTopup(request(s, s.msisdn(), Money.ofYuan(30), shared)).payment().id();
            }));
        }
        start.countDown();
        List<Long> got = new ArrayList<>();
        for (Future<Long> f : ids) {
            got.add(f.get());
        }
        pool.shutdown();
        assertThat(got).containsOnly(got.get(0));
        assertThat(jdbc.sql("select count(*) from payment_order where payer_customer_id = ?").param(s.customerId()).query(Long.class).single())
                .isEqualTo(2);
    }

    @Test
    void a_notification_sent_twice_at_once_and_replayed_later_credits_the_ledger_once() {
        TestSubscriber s = testCustomers.subscriber("Double Notified");
        Payment p = payments.createTopup(request(s, s.msisdn(), Money.ofYuan(50), UUID.randomUUID().toString())).payment();
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ZERO);
        SimulatedProvider.Trade trade = alipay.pay(p.outTradeNo()).orElseThrow();
        Map<String, String> signed = alipay.notification(trade);
        notifier.send("alipay", signed, SimulatorNotifier.Mode.TWICE);
        Payment paid = awaitStatus(s, p.id(), PaymentStatus.PAID);
        assertThat(notifier.post("alipay", signed)).isEqualTo("success");
        assertThat(notifier.post("alipay", alipay.notification(trade))).isEqualTo("success");

        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(50));
        assertThat(jdbc.sql("select count(*) from journal_entry where business_key = ?").param("payment:" + p.id()).query(Long.class).single())
                .isEqualTo(1);
        assertThat(paid.balanceAfter()).isEqualTo(Money.ofYuan(50));
        assertThat(paid.timeline()).extracting(Payment.Event::step).containsSubsequence("CREATED", "SENT_TO_PROVIDER", "PAID", "CREDITED");
        assertThat(sms.sentTo(s.msisdn(), 1).get(0).body()).contains("¥50.00").contains("余额 ¥50.00").contains(s.msisdn().substring(0, 3) + "****");
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(ledger.balanceOf(s.customerId()));
    }

    @Test
    void forged_wrong_amount_and_unknown_order_notifications_credit_nothing() throws Exception {
        TestSubscriber s = testCustomers.subscriber("Forgery Target");
        Payment p = payments.createTopup(request(s, s.msisdn(), Money.ofYuan(100), UUID.randomUUID().toString())).payment();
        SimulatedProvider.Trade trade = alipay.pay(p.outTradeNo()).orElseThrow();
        Map<String, String> genuine = alipay.notification(trade);

        // signed with a key that is not the provider's
        Map<String, String> forged = new TreeMap<>(genuine);
        var stranger = KeyPairGenerator.getInstance("RSA");
        stranger.initialize(2048);
        forged.put("sign", SimulatedProvider.sign(SimulatedProvider.canonical(forged), stranger.generateKeyPair()));
        assertThat(notifier.post("alipay", forged)).isEqualTo("fail");
        // a genuine signature over other content
        Map<String, String> tampered = new TreeMap<>(genuine);
        tampered.put("total_amount", "1000.00");
        assertThat(notifier.post("alipay", tampered)).isEqualTo("fail");
        // the provider's own signature, but an amount that is not the order's
        Map<String, String> wrongAmount = new TreeMap<>(genuine);
        wrongAmount.put("total_amount", "1.00");
        wrongAmount.put("sign", alipay.sign(SimulatedProvider.canonical(wrongAmount)));
        assertThat(notifier.post("alipay", wrongAmount)).isEqualTo("fail");
        // an order the hall never made
        Map<String, String> unknown = new TreeMap<>(genuine);
        unknown.put("out_trade_no", "TH999999999");
        unknown.put("sign", alipay.sign(SimulatedProvider.canonical(unknown)));
        assertThat(notifier.post("alipay", unknown)).isEqualTo("fail");
        // the right notification at another provider's door
        assertThat(notifier.post("wechat", genuine)).isEqualTo("fail");

        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ZERO);
        Payment still = payments.get(s.customerId(), p.id());
        assertThat(still.status()).isEqualTo(PaymentStatus.PENDING);
        assertThat(still.timeline()).extracting(Payment.Event::step).contains("AMOUNT_MISMATCH");
        // the audit trail keeps both for the reconciliation and for staff
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'payment.amount-mismatch' and subject = ?")
                .param("payment:" + p.id()).query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select count(*) from audit_event where action = 'payment.unknown-order' and subject = 'TH999999999'")
                .query(Long.class).single()).isPositive();

        assertThat(notifier.post("alipay", genuine)).isEqualTo("success");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(100));
    }

    @Test
    void a_payment_whose_notification_never_comes_is_settled_by_the_order_query_and_an_unpaid_one_is_closed() {
        TestSubscriber s = testCustomers.subscriber("Silent Provider");
        Payment paid = payments.createTopup(request(s, s.msisdn(), Money.ofYuan(30), UUID.randomUUID().toString())).payment();
        Payment abandoned = payments.createTopup(request(s, s.msisdn(), Money.ofYuan(200), UUID.randomUUID().toString())).payment();
        SimulatedProvider.Trade trade = alipay.pay(paid.outTradeNo()).orElseThrow();
        notifier.send("alipay", alipay.notification(trade), SimulatorNotifier.Mode.NEVER);

        payments.queryPending();
        assertThat(payments.get(s.customerId(), paid.id()).status()).as("too early to ask").isEqualTo(PaymentStatus.PENDING);
        clock.advance(Duration.ofMinutes(3));
        payments.queryPending();
        payments.queryPending();
        assertThat(payments.get(s.customerId(), paid.id()).status()).isEqualTo(PaymentStatus.PAID);
        assertThat(payments.get(s.customerId(), paid.id()).timeline()).anySatisfy(e -> assertThat(e.detail()).startsWith("query"));
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(30));
        assertThat(payments.get(s.customerId(), abandoned.id()).status()).isEqualTo(PaymentStatus.PENDING);

        clock.advance(Duration.ofMinutes(30));
        payments.queryPending();
        assertThat(payments.get(s.customerId(), abandoned.id()).status()).isEqualTo(PaymentStatus.CLOSED);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(30));
    }

    @Test
    void a_top_up_for_someone_elses_line_credits_their_account_restores_their_suspended_line_and_keeps_their_balance_private() {
        TestSubscriber payer = testCustomers.subscriber("Generous Payer");
        TestSubscriber holder = testCustomers.subscriber("Line Holder");
        suspension.suspendForArrears(holder.customerId());
        assertThat(jdbc.sql("select status from line where id = ?").param(holder.lineId()).query(String.class).single()).isEqualTo("SUSPENDED");

        Payment p = payments.createTopup(request(payer, holder.msisdn(), Money.ofYuan(50), UUID.randomUUID().toString())).payment();
        assertThat(p.forOwnAccount()).isFalse();
        notifier.post("alipay", alipay.notification(alipay.pay(p.outTradeNo()).orElseThrow()));

        assertThat(ledger.balanceOf(holder.customerId())).isEqualTo(Money.ofYuan(50));
        assertThat(ledger.balanceOf(payer.customerId())).isEqualTo(Money.ZERO);
        assertThat(jdbc.sql("select status from line where id = ?").param(holder.lineId()).query(String.class).single()).isEqualTo("ACTIVE");
        assertThat(sms.sentTo(payer.msisdn(), 1).get(0).body()).contains("¥50.00").doesNotContain("余额");
        assertThat(sms.sentTo(holder.msisdn(), 5)).anySatisfy(m -> assertThat(m.body()).contains("收到充值 ¥50.00").contains("余额 ¥50.00"));
        assertThat(payments.ofPayer(holder.customerId(), 0, 10)).as("the payment is the payer's").isEmpty();
    }

    @Test
    void bad_top_up_requests_are_refused_and_make_no_order() {
        TestSubscriber s = testCustomers.subscriber("Bad Requests");
        assertThatThrownBy(() -> payments.createTopup(request(s, "12345", Money.ofYuan(50), UUID.randomUUID().toString())))
                .hasFieldOrPropertyWithValue("code", "payment.bad-number");
        assertThatThrownBy(() -> payments.createTopup(request(s, "19999999999", Money.ofYuan(50), UUID.randomUUID().toString())))
                .hasFieldOrPropertyWithValue("code", "payment.unknown-number");
        assertThatThrownBy(() -> payments.createTopup(request(s, s.msisdn(), Money.ofFen(50), UUID.randomUUID().toString())))
                .hasFieldOrPropertyWithValue("code", "payment.amount-out-of-range");
        assertThatThrownBy(() -> payments.createTopup(request(s, s.msisdn(), Money.ofYuan(2001), UUID.randomUUID().toString())))
                .hasFieldOrPropertyWithValue("code", "payment.amount-out-of-range");
        assertThat(payments.countOf(s.customerId())).isZero();
    }

    @Test
    void a_new_order_is_answered_exactly_as_it_is_read_back_later() {
        TestSubscriber s = testCustomers.subscriber("Answered Order");
        Payments.Created created = payments.createTopup(request(s, s.msisdn(), Money.ofYuan(30), UUID.randomUUID().toString()));
        // the order is answered from what was written, not read back: it must be the same order, timeline and all
        assertThat(created.payment()).isEqualTo(payments.get(s.customerId(), created.payment().id()));
        assertThat(created.payment().timeline()).extracting(Payment.Event::step).containsExactly("CREATED", "SENT_TO_PROVIDER");
    }

    @Test
    void the_provider_signs_a_notification_only_when_it_sends_one() {
        List<Map<String, String>> sent = new ArrayList<>();
        SimulatorNotifier recording = new SimulatorNotifier(Duration.ZERO) {
            @Override
            void send(String provider, Map<String, String> params, Mode mode) {
                sent.add(params);
            }
        };
        SimulatedProvider provider = new SimulatedProvider(PaymentMethod.ALIPAY, jdbc, clock, baseUrl(), Path.of("target/test-settlement"),
                recording);
        String silent = "TH" + (9_000_000_000L + System.nanoTime() % 1_000_000_000L);
        String told = silent + "1";
        provider.checkout(silent, Money.ofYuan(20), "test");
        provider.checkout(told, Money.ofYuan(20), "test");

        assertThat(provider.payAndNotify(silent, SimulatorNotifier.Mode.NEVER).orElseThrow().status()).isEqualTo(SimulatedProvider.SUCCESS);
        assertThat(provider.signaturesMade()).isZero();
        assertThat(provider.signingCpuNanos()).isZero();
        assertThat(sent).isEmpty();

        assertThat(provider.payAndNotify(told, SimulatorNotifier.Mode.ONCE).orElseThrow().status()).isEqualTo(SimulatedProvider.SUCCESS);
        assertThat(provider.signaturesMade()).isEqualTo(1);
        assertThat(provider.signingCpuNanos()).isPositive();
        // the bench reads the provider's signing apart from the hall's work through these meters
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        provider.bindTo(registry);
        assertThat(registry.get("telehall.sim.signatures").tag("provider", "alipay").functionCounter().count()).isEqualTo(1);
        assertThat(registry.get("telehall.sim.signing.cpu").tag("provider", "alipay").functionCounter().count())
                .isEqualTo(provider.signingCpuNanos() / 1e9);
        assertThat(sent).hasSize(1);
        assertThat(provider.verify(sent.get(0))).hasValueSatisfying(n -> assertThat(n.outTradeNo()).isEqualTo(told));
    }

    private Payments.TopupRequest request(TestSubscriber payer, String msisdn, Money amount, String key) {
        long userId = jdbc.sql("select id from app_user where username = ?").param(payer.msisdn()).query(Long.class).single();
        return new Payments.TopupRequest(payer.customerId(), userId, msisdn, amount, PaymentMethod.ALIPAY, "WEB", key);
    }

    /** Notifications arrive asynchronously, as a provider's do: wait for the status (the test fails after 30 s without it). */
    private Payment awaitStatus(TestSubscriber s, long id, PaymentStatus status) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Payment p = payments.get(s.customerId(), id);
        while (p.status() != status && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            p = payments.get(s.customerId(), id);
        }
        assertThat(p.status()).isEqualTo(status);
        return p;
    }
}
