package org.telehall.payment.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.payment.AutoTopups;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.PaymentStatus;
import org.telehall.payment.Payments;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/**
 * Auto top-up: a debit below the threshold fires one top-up per crossing, at most N a month, paid
 * under the withholding agreement and credited by the provider's signed notification (or, when that
 * is lost, by the order query) exactly once, whatever is repeated.
 */
class AutoTopupTest extends HallIntegrationTest {

    @Autowired AutoTopups autoTopups;
    @Autowired Payments payments;
    @Autowired Ledger ledger;
    @Autowired TestCustomers testCustomers;
    @Autowired @Qualifier("alipaySimulator") SimulatedProvider alipay;

    @AfterEach
    void notificationsBackToNormal() {
        alipay.withholdingNotifications(SimulatorNotifier.Mode.ONCE);
    }

    @Test
    void a_debit_below_the_threshold_tops_up_once_per_crossing_and_at_most_n_times_a_month_last_months_not_counted() {
        // notifications lost: the credit comes only when the test lets the order query run, so nothing races the steps below
        alipay.withholdingNotifications(SimulatorNotifier.Mode.NEVER);
        TestSubscriber s = subscriberWith(Money.ofYuan(100));
        AutoTopups.Rule rule = autoTopups.save(setup(s, 20, 50, 2));
        assertThat(rule.armed()).isTrue();
        // last month's runs do not count against this month (the clock is not moved a month: other tests read the month from it)
        String lastMonth = autoTopups.thisMonth().minusMonths(1).toString();
        for (int n = 1; n <= 2; n++) {
            jdbc.sql("""
                    insert into auto_topup_run (rule_id, month, n, trigger_key, balance_fen, status, created_at)
                    values (?, ?, ?, 'earlier', 0, 'SENT', now() - interval '40 days')
                    """).params(rule.id(), lastMonth, n).update();
        }

        charge(s, Money.ofYuan(85));                                  // 15 < 20: crossing 1
        autoTopups.processDue();
        List<AutoTopups.Run> runs = autoTopups.runsOf(s.customerId(), 10).stream().filter(r -> !r.month().equals(lastMonth)).toList();
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).n()).as("the month's first").isEqualTo(1);
        assertThat(runs.get(0).status()).isEqualTo("SENT");
        assertThat(runs.get(0).balance()).isEqualTo(Money.ofYuan(15));
        Payment first = payments.get(s.customerId(), runs.get(0).paymentId());
        assertThat(first.channel()).isEqualTo("AUTO");
        assertThat(first.amount()).isEqualTo(Money.ofYuan(50));
        assertThat(first.timeline()).extracting(Payment.Event::step).contains("WITHHELD");

        charge(s, Money.ofYuan(1));                                   // still below: the same crossing, nothing new
        autoTopups.processDue();
        assertThat(autoTopups.firedIn(rule.id(), autoTopups.thisMonth())).isEqualTo(1);

        settleByQuery();                                              // the lost notification replaced by the order query
        assertThat(payments.get(s.customerId(), first.id()).status()).isEqualTo(PaymentStatus.PAID);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(64));
        assertThat(autoTopups.ruleOf(s.customerId()).orElseThrow().armed()).as("back above 20: armed again").isTrue();

        charge(s, Money.ofYuan(50));                                  // 14: crossing 2
        autoTopups.processDue();
        settleByQuery();
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(64));
        charge(s, Money.ofYuan(50));                                  // 14: crossing 3, but 2 a month is the most
        autoTopups.processDue();
        settleByQuery();
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(14));
        assertThat(autoTopups.runsOf(s.customerId(), 2)).extracting(AutoTopups.Run::n).containsExactly(2, 1);
        assertThat(autoTopups.firedIn(rule.id(), autoTopups.thisMonth())).isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from payment_order where payer_customer_id = ? and channel = 'AUTO'").param(s.customerId())
                .query(Long.class).single()).isEqualTo(2);
        assertThat(jdbc.sql("select count(*) from payment_order where idempotency_key = ?").param("auto:" + rule.id() + ":"
                + autoTopups.thisMonth() + ":1").query(Long.class).single()).isEqualTo(1);

        // a top-up by hand re-arms it, but the month's two are used up
        ledger.credit(new Posting(s.customerId(), Money.ofYuan(10), "test-topup-" + UUID.randomUUID(), ReasonCodes.TOPUP, "by hand"), "TOPUP");
        assertThat(autoTopups.ruleOf(s.customerId()).orElseThrow().armed()).isTrue();
        charge(s, Money.ofYuan(5));                                   // 19
        autoTopups.processDue();
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(19));
        assertThat(autoTopups.firedIn(rule.id(), autoTopups.thisMonth())).isEqualTo(2);
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(ledger.balanceOf(s.customerId()));
    }

    @Test
    void the_signed_notification_credits_it_and_concurrent_or_replayed_debits_fire_once() throws Exception {
        TestSubscriber s = subscriberWith(Money.ofYuan(100));
        autoTopups.save(setup(s, 50, 30, 3));
        String key = "test-charge-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> charges = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String businessKey = i < 3 ? key : "test-charge-" + UUID.randomUUID();   // three are one charge sent thrice
            charges.add(pool.submit((Callable<Void>) () -> {
                start.await();
                ledger.charge(new Posting(s.customerId(), Money.ofYuan(15), businessKey, ReasonCodes.PACK_FEE, "pack"), "CHARGE");
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : charges) {
            f.get();
        }
        pool.shutdown();
        // 100 - 4 × 15 = 40: below 50 once, whichever charge crossed
        autoTopups.processDue();
        assertThat(autoTopups.runsOf(s.customerId(), 10)).hasSize(1);
        // the simulator's signed notification credits it, no query needed
        awaitBalance(s, Money.ofYuan(70));
        long paymentId = autoTopups.runsOf(s.customerId(), 1).get(0).paymentId();
        assertThat(jdbc.sql("select count(*) from journal_entry where business_key = ?").param("payment:" + paymentId).query(Long.class).single())
                .isEqualTo(1);
        // among the latest messages: the fee reminder of the charge (notify) may go out after it
        assertThat(sms.sentTo(s.msisdn(), 5)).anySatisfy(m -> assertThat(m.body()).contains("¥30.00").contains("余额 ¥70.00"));
    }

    @Test
    void a_crash_before_the_run_was_carried_out_a_refused_withholding_and_a_cancelled_rule_move_no_money_twice() {
        alipay.withholdingNotifications(SimulatorNotifier.Mode.NEVER);
        TestSubscriber s = subscriberWith(Money.ofYuan(100));
        AutoTopups.Rule rule = autoTopups.save(setup(s, 20, 50, 5));
        charge(s, Money.ofYuan(90));
        // the same run carried out again and again (a worker and the recovery sweep both, after a crash): one order, one collection
        autoTopups.processDue();
        jdbc.sql("update auto_topup_run set status = 'DUE' where rule_id = ?").param(rule.id()).update();   // as if the process died before marking it
        autoTopups.processDue();
        autoTopups.processDue();
        settleByQuery();
        assertThat(jdbc.sql("select count(*) from payment_order where payer_customer_id = ? and channel = 'AUTO'").param(s.customerId())
                .query(Long.class).single()).isEqualTo(1);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(60));

        // the payer ended the agreement at the provider: refused, told by SMS, nothing credited
        alipay.unsignAgreement(rule.agreementNo());
        charge(s, Money.ofYuan(45));                                  // 15
        autoTopups.processDue();
        settleByQuery();
        AutoTopups.Run refused = autoTopups.runsOf(s.customerId(), 1).get(0);
        assertThat(refused.status()).isEqualTo("REFUSED");
        assertThat(payments.get(s.customerId(), refused.paymentId()).status()).isEqualTo(PaymentStatus.CLOSED);
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(15));
        assertThat(sms.sentTo(s.msisdn(), 5)).anySatisfy(m -> assertThat(m.body()).contains("自动充值").contains("未成功"));

        // cancelled: a top-up by hand re-arms nothing, and the next crossing fires nothing
        autoTopups.cancel(s.customerId());
        ledger.credit(new Posting(s.customerId(), Money.ofYuan(30), "test-topup-" + UUID.randomUUID(), ReasonCodes.TOPUP, "by hand"), "TOPUP");
        charge(s, Money.ofYuan(40));
        autoTopups.processDue();
        assertThat(autoTopups.runsOf(s.customerId(), 10)).hasSize(2);
        assertThat(ledger.journalSumOf(s.customerId())).isEqualTo(ledger.balanceOf(s.customerId()));
    }

    @Test
    void bad_rules_are_refused() {
        TestSubscriber s = subscriberWith(Money.ZERO);
        TestSubscriber other = subscriberWith(Money.ZERO);
        assertThatThrownBy(() -> autoTopups.save(setup(s, 0, 50, 3))).hasFieldOrPropertyWithValue("code", "auto.threshold-out-of-range");
        assertThatThrownBy(() -> autoTopups.save(setup(s, 20, 5, 3))).hasFieldOrPropertyWithValue("code", "auto.amount-out-of-range");
        assertThatThrownBy(() -> autoTopups.save(setup(s, 20, 50, 11))).hasFieldOrPropertyWithValue("code", "auto.times-out-of-range");
        assertThatThrownBy(() -> autoTopups.save(new AutoTopups.Setup(s.customerId(), userId(s), other.msisdn(), Money.ofYuan(20), Money.ofYuan(50), 3,
                PaymentMethod.ALIPAY))).isInstanceOf(BusinessRuleException.class).hasFieldOrPropertyWithValue("code", "auto.not-own-line");
        assertThat(autoTopups.ruleOf(s.customerId())).isEmpty();
    }

    @Test
    void the_page_sets_up_shows_and_stops_the_rule_in_both_languages() {
        TestSubscriber s = subscriberWith(Money.ofYuan(10));
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        assertThat(web.get("/topup").body()).contains("href=\"/topup/auto\"");
        assertThat(web.get("/topup/auto").body()).contains("开启自动充值").doesNotContain("data-testid=\"auto-rule\"");

        web.post("/topup/auto", Map.of("msisdn", s.msisdn(), "threshold", "20", "amount", "50", "times", "3", "method", "wechat"));
        assertThat(web.get("/topup/auto").body()).contains("请先勾选同意签订代扣协议");
        assertThat(autoTopups.ruleOf(s.customerId())).isEmpty();

        var saved = web.post("/topup/auto", Map.of("msisdn", s.msisdn(), "threshold", "20", "amount", "50", "times", "3", "method", "wechat",
                "consent", "true"));
        assertThat(WebSession.location(saved)).endsWith("/topup/auto");
        String page = web.get("/topup/auto").body();
        assertThat(page).contains("自动充值已开启").contains("账户余额低于 ¥20.00 时，从微信支付自动为 " + s.msisdn().substring(0, 3) + "****")
                .contains("充值 ¥50.00，每月最多 3 次").contains("本月已自动充值 0 次");
        AutoTopups.Rule rule = autoTopups.ruleOf(s.customerId()).orElseThrow();
        assertThat(rule.method()).isEqualTo(PaymentMethod.WECHAT);
        assertThat(jdbc.sql("select status from sim_provider_agreement where agreement_no = ?").param(rule.agreementNo()).query(String.class).single())
                .isEqualTo("ACTIVE");

        web.post("/topup/auto", Map.of("msisdn", s.msisdn(), "threshold", "5000", "amount", "50", "times", "3", "method", "wechat", "consent", "true"));
        assertThat(web.get("/topup/auto").body()).contains("触发余额须在 ¥1.00 到 ¥500.00 之间");

        web.get("/lang?to=en&back=/topup/auto");
        assertThat(web.get("/topup/auto").body()).contains("When the balance drops below ¥20.00").contains("Turn auto top-up off");
        web.post("/topup/auto/cancel", Map.of());
        assertThat(web.get("/topup/auto").body()).contains("Auto top-up is off").doesNotContain("data-testid=\"auto-rule\"");
        assertThat(jdbc.sql("select status from sim_provider_agreement where agreement_no = ?").param(rule.agreementNo()).query(String.class).single())
                .isEqualTo("UNSIGNED");

        // someone else's page shows their own (no) rule
        WebSession other = new WebSession(baseUrl());
        testCustomers.signIn(other, clock, OTHER_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        assertThat(other.get("/topup/auto").body()).contains("开启自动充值").doesNotContain("data-testid=\"auto-rule\"");
    }

    private TestSubscriber subscriberWith(Money balance) {
        TestSubscriber s = testCustomers.subscriber("自动充值");
        if (balance.isPositive()) {
            ledger.credit(new Posting(s.customerId(), balance, "test-topup-" + UUID.randomUUID(), ReasonCodes.TOPUP, "test top-up"), "TOPUP");
        }
        return s;
    }

    private AutoTopups.Setup setup(TestSubscriber s, long belowYuan, long amountYuan, int times) {
        return new AutoTopups.Setup(s.customerId(), userId(s), s.msisdn(), Money.ofYuan(belowYuan), Money.ofYuan(amountYuan), times, PaymentMethod.ALIPAY);
    }

    private long userId(TestSubscriber s) {
        return jdbc.sql("select id from app_user where username = ?").param(s.msisdn()).query(Long.class).single();
    }

    private void charge(TestSubscriber s, Money amount) {
        ledger.charge(new Posting(s.customerId(), amount, "test-charge-" + UUID.randomUUID(), ReasonCodes.PACK_FEE, "pack"), "CHARGE");
    }

    /** Past the order query's wait, then the query: what the sweeper does when a notification never came. */
    private void settleByQuery() {
        clock.advance(Duration.ofMinutes(3));
        payments.queryPending();
    }

    /** The notification arrives asynchronously, as a provider's does (the test fails after 30 s without it). */
    private void awaitBalance(TestSubscriber s, Money expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!ledger.balanceOf(s.customerId()).equals(expected) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(expected);
    }
}
