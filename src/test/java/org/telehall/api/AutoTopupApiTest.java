package org.telehall.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.identity.ApiTokens;
import org.telehall.identity.HallUser;
import org.telehall.identity.Role;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.payment.AutoTopups;
import org.telehall.payment.PaymentMethod;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;
import org.telehall.support.ApiClient;
import org.telehall.support.ApiClient.Reply;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;
import tools.jackson.databind.JsonNode;

/**
 * The auto top-up rule through {@code /api/v1/auto-topup}: set up, shown, replaced and stopped by the
 * customer it belongs to (the same rule the page shows), refused in the caller's language without
 * changing anything.
 */
class AutoTopupApiTest extends HallIntegrationTest {

    static final String RULE = "/api/v1/auto-topup";

    @Autowired TestCustomers testCustomers;
    @Autowired AutoTopups autoTopups;
    @Autowired Ledger ledger;
    @Autowired ApiTokens tokens;

    private ApiClient api;

    @Test
    void a_rule_put_through_the_api_is_the_one_get_the_service_and_the_page_show_and_a_second_put_replaces_it() {
        TestSubscriber s = testCustomers.subscriber("自动充值 API");
        TestSubscriber other = testCustomers.subscriber("自动充值 API 旁人");
        String token = signIn(s);

        Reply none = api.get(RULE, token);
        assertThat(none.status()).isEqualTo(404);
        assertThat(none.header("Content-Type")).startsWith("application/problem+json");

        Reply saved = api.put(RULE, rule(s.msisdn(), 20, 50, 3, "wechat"), token, "zh-CN");
        assertThat(saved.status()).isEqualTo(200);
        JsonNode view = saved.json();
        assertThat(view.get("msisdn").asString()).isEqualTo(s.msisdn());
        assertThat(view.get("threshold").get("unit").asString()).isEqualTo("CNY");
        assertThat(view.get("threshold").get("value").decimalValue()).isEqualByComparingTo("20");
        assertThat(view.get("amount").get("unit").asString()).isEqualTo("CNY");
        assertThat(view.get("amount").get("value").decimalValue()).isEqualByComparingTo("50");
        assertThat(view.get("maxPerMonth").asInt()).isEqualTo(3);
        assertThat(view.get("method").asString()).isEqualTo("wechat");
        assertThat(view.get("armed").asBoolean()).isTrue();
        assertThat(view.get("firedThisMonth").asInt()).isZero();
        assertThat(view.get("runs")).isEmpty();
        assertThat(api.get(RULE, token).json()).isEqualTo(view);

        AutoTopups.Rule rule = autoTopups.ruleOf(s.customerId()).orElseThrow();
        assertThat(rule.active()).isTrue();
        assertThat(rule.msisdn().value()).isEqualTo(s.msisdn());
        assertThat(rule.threshold()).isEqualTo(Money.ofYuan(20));
        assertThat(rule.amount()).isEqualTo(Money.ofYuan(50));
        assertThat(rule.maxPerMonth()).isEqualTo(3);
        assertThat(rule.method()).isEqualTo(PaymentMethod.WECHAT);
        assertThat(agreementStatus(rule)).isEqualTo("ACTIVE");
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        String masked = new Msisdn(s.msisdn()).masked();
        assertThat(web.get("/topup/auto").body()).contains("账户余额低于 ¥20.00 时，从微信支付自动为 " + masked + " 充值 ¥50.00，每月最多 3 次");

        Reply replaced = api.put(RULE, rule(s.msisdn(), 30, 100, 5, "alipay"), token, "zh-CN");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("threshold").get("value").decimalValue()).isEqualByComparingTo("30");
        assertThat(replaced.json().get("method").asString()).isEqualTo("alipay");
        AutoTopups.Rule now = autoTopups.ruleOf(s.customerId()).orElseThrow();
        assertThat(now.id()).as("one rule per customer, replaced").isEqualTo(rule.id());
        assertThat(now.threshold()).isEqualTo(Money.ofYuan(30));
        assertThat(now.amount()).isEqualTo(Money.ofYuan(100));
        assertThat(now.maxPerMonth()).isEqualTo(5);
        assertThat(now.method()).isEqualTo(PaymentMethod.ALIPAY);
        assertThat(agreementStatus(rule)).as("the old provider's agreement ended").isEqualTo("UNSIGNED");
        assertThat(agreementStatus(now)).isEqualTo("ACTIVE");
        assertThat(web.get("/topup/auto").body()).contains("账户余额低于 ¥30.00 时，从支付宝自动为 " + masked + " 充值 ¥100.00，每月最多 5 次");

        assertThat(api.get(RULE, signIn(other)).status()).as("another customer sees only their own (no) rule").isEqualTo(404);
    }

    @Test
    void the_rule_shows_the_top_ups_it_fired_this_month_with_their_payments() {
        TestSubscriber s = testCustomers.subscriber("自动充值 API 触发");
        ledger.credit(new Posting(s.customerId(), Money.ofYuan(100), "test-topup-" + UUID.randomUUID(), ReasonCodes.TOPUP, "test top-up"), "TOPUP");
        String token = signIn(s);
        assertThat(api.put(RULE, rule(s.msisdn(), 20, 50, 3, "alipay"), token, "zh-CN").status()).isEqualTo(200);

        ledger.charge(new Posting(s.customerId(), Money.ofYuan(85), "test-charge-" + UUID.randomUUID(), ReasonCodes.PACK_FEE, "pack"), "CHARGE");
        autoTopups.processDue();

        AutoTopups.Run fired = autoTopups.runsOf(s.customerId(), 1).get(0);
        JsonNode view = api.get(RULE, token).json();
        assertThat(view.get("firedThisMonth").asInt()).isEqualTo(1);
        assertThat(view.get("runs")).hasSize(1);
        JsonNode run = view.get("runs").get(0);
        assertThat(run.get("status").asString()).isEqualTo("sent");
        assertThat(run.get("month").asString()).isEqualTo(autoTopups.thisMonth().toString());
        assertThat(run.get("n").asInt()).isEqualTo(1);
        assertThat(run.get("balance").get("value").decimalValue()).as("the balance that fired it").isEqualByComparingTo("15");
        assertThat(run.get("paymentId").asString()).isEqualTo(fired.paymentId().toString());
        assertThat(run.get("paymentHref").asString()).endsWith(PaymentApiTest.PAYMENTS + "/" + fired.paymentId());
        assertThat(Instant.parse(run.get("at").asString())).isEqualTo(fired.at());
        Reply payment = api.get(PaymentApiTest.PAYMENTS + "/" + fired.paymentId(), token);
        assertThat(payment.status()).as("the payment it names is the customer's own").isEqualTo(200);
        assertThat(payment.json().get("totalAmount").get("value").decimalValue()).isEqualByComparingTo("50");
    }

    @Test
    void without_consent_to_withholding_a_put_is_a_400_problem_and_makes_no_rule() {
        TestSubscriber s = testCustomers.subscriber("自动充值 API 未同意");
        String token = signIn(s);
        Map<String, Object> noConsent = rule(s.msisdn(), 20, 50, 3, "alipay");
        noConsent.remove("consent");
        Map<String, Object> refused = rule(s.msisdn(), 20, 50, 3, "alipay");
        refused.put("consent", false);

        assertProblem(api.put(RULE, noConsent, token, "zh-CN"), 400, "auto.consent-needed", "请先勾选同意签订代扣协议。");
        assertProblem(api.put(RULE, refused, token, "en"), 400, "auto.consent-needed", "Please agree to the withholding agreement first.");
        assertThat(autoTopups.ruleOf(s.customerId())).isEmpty();
        assertThat(agreementsOf(s)).as("nothing signed at the provider").isZero();
        assertThat(api.get(RULE, token).status()).isEqualTo(404);
    }

    @Test
    void out_of_range_values_an_unknown_method_and_another_customers_number_are_problems_in_the_callers_language() {
        TestSubscriber s = testCustomers.subscriber("自动充值 API 越界");
        TestSubscriber other = testCustomers.subscriber("自动充值 API 别人");
        String token = signIn(s);

        assertProblem(api.put(RULE, rule(s.msisdn(), 0, 50, 3, "alipay"), token, "zh-CN"), 422, "auto.threshold-out-of-range",
                "触发余额须在 ¥1.00 到 ¥500.00 之间。");
        assertProblem(api.put(RULE, rule(s.msisdn(), 501, 50, 3, "alipay"), token, "en"), 422, "auto.threshold-out-of-range",
                "The balance to top up at must be between ¥1.00 and ¥500.00.");
        assertProblem(api.put(RULE, rule(s.msisdn(), 20, 600, 3, "alipay"), token, "en"), 422, "auto.amount-out-of-range",
                "The amount must be between ¥10.00 and ¥500.00.");
        assertProblem(api.put(RULE, rule(s.msisdn(), 20, 50, 11, "alipay"), token, "zh-CN"), 422, "auto.times-out-of-range",
                "每月次数须在 1 到 10 之间。");
        Map<String, Object> noTimes = rule(s.msisdn(), 20, 50, 3, "alipay");
        noTimes.remove("maxPerMonth");
        assertProblem(api.put(RULE, noTimes, token, "en"), 422, "auto.times-out-of-range", "Times a month must be between 1 and 10.");
        assertProblem(api.put(RULE, rule(other.msisdn(), 20, 50, 3, "alipay"), token, "en"), 422, "auto.not-own-line",
                "Auto top-up can only be set for your own numbers.");
        assertProblem(api.put(RULE, rule(s.msisdn(), 20, 50, 3, "paypal"), token, "en"), 400, "auto.method-unknown",
                "Choose how to pay: alipay, wechat or unionpay.");
        Map<String, Object> fractionOfAFen = rule(s.msisdn(), 20, 50, 3, "alipay");
        fractionOfAFen.put("amount", Map.of("unit", "CNY", "value", new BigDecimal("50.005")));
        assertProblem(api.put(RULE, fractionOfAFen, token, "zh-CN"), 400, "payment.bad-amount", "请输入正确的金额（元，最多两位小数）。");
        Map<String, Object> dollars = rule(s.msisdn(), 20, 50, 3, "alipay");
        dollars.put("threshold", Map.of("unit", "USD", "value", 20));
        assertProblem(api.put(RULE, dollars, token, "en"), 400, "payment.bad-amount", "Enter an amount in yuan with at most two decimals.");

        assertThat(autoTopups.ruleOf(s.customerId())).isEmpty();
        assertThat(agreementsOf(s)).isZero();
    }

    @Test
    void a_refused_put_leaves_the_earlier_rule_and_its_agreement_as_they_were() {
        TestSubscriber s = testCustomers.subscriber("自动充值 API 不变");
        TestSubscriber other = testCustomers.subscriber("自动充值 API 他号");
        String token = signIn(s);
        assertThat(api.put(RULE, rule(s.msisdn(), 20, 50, 3, "wechat"), token, "zh-CN").status()).isEqualTo(200);
        AutoTopups.Rule before = autoTopups.ruleOf(s.customerId()).orElseThrow();
        JsonNode shown = api.get(RULE, token).json();
        // any write now would carry a later updatedAt
        clock.advance(Duration.ofMinutes(1));

        Map<String, Object> noConsent = rule(s.msisdn(), 30, 100, 5, "alipay");
        noConsent.remove("consent");
        assertThat(api.put(RULE, noConsent, token, "zh-CN").status()).isEqualTo(400);
        assertThat(api.put(RULE, rule(s.msisdn(), 0, 100, 5, "alipay"), token, "zh-CN").status()).isEqualTo(422);
        assertThat(api.put(RULE, rule(s.msisdn(), 30, 100, 50, "alipay"), token, "zh-CN").status()).isEqualTo(422);
        assertThat(api.put(RULE, rule(other.msisdn(), 30, 100, 5, "alipay"), token, "zh-CN").status()).isEqualTo(422);
        assertThat(api.put(RULE, rule(s.msisdn(), 30, 100, 5, "paypal"), token, "zh-CN").status()).isEqualTo(400);

        assertThat(autoTopups.ruleOf(s.customerId())).contains(before);
        assertThat(api.get(RULE, token).json()).isEqualTo(shown);
        assertThat(agreementStatus(before)).isEqualTo("ACTIVE");
        assertThat(agreementsOf(s)).as("no other agreement signed").isEqualTo(1);
    }

    @Test
    void delete_stops_the_rule_and_ends_its_agreement_and_answers_204_again_when_there_is_none() {
        TestSubscriber s = testCustomers.subscriber("自动充值 API 关闭");
        String token = signIn(s);
        assertThat(api.delete(RULE, token).status()).as("never set up").isEqualTo(204);
        assertThat(api.put(RULE, rule(s.msisdn(), 20, 50, 3, "unionpay"), token, "zh-CN").status()).isEqualTo(200);
        AutoTopups.Rule rule = autoTopups.ruleOf(s.customerId()).orElseThrow();

        assertThat(api.delete(RULE, token).status()).isEqualTo(204);
        assertThat(autoTopups.ruleOf(s.customerId()).orElseThrow().active()).isFalse();
        assertThat(agreementStatus(rule)).isEqualTo("UNSIGNED");
        Reply gone = api.get(RULE, token);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.header("Content-Type")).startsWith("application/problem+json");
        assertThat(api.delete(RULE, token).status()).as("again").isEqualTo(204);
    }

    @Test
    void staff_tokens_get_a_403_problem_and_a_caller_without_a_token_a_401() {
        TestSubscriber s = testCustomers.subscriber("自动充值 API 员工");
        long agentId = jdbc.sql("select id from app_user where username = 'agent'").query(Long.class).single();
        String agent = tokens.issue(new HallUser(agentId, "agent", Role.AGENT, null, "agent")).accessToken();

        for (Reply reply : new Reply[]{api.get(RULE, agent), api.put(RULE, rule(s.msisdn(), 20, 50, 3, "alipay"), agent, "zh-CN"),
                api.delete(RULE, agent)}) {
            assertThat(reply.status()).isEqualTo(403);
            assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        }
        assertThat(api.get(RULE, null).status()).isEqualTo(401);
        assertThat(api.put(RULE, rule(s.msisdn(), 20, 50, 3, "alipay"), null, "zh-CN").status()).isEqualTo(401);
    }

    @Test
    void the_openapi_document_describes_get_put_and_delete() {
        JsonNode path = api.get("/v3/api-docs", null).json().get("paths").get(RULE);
        assertThat(path).as("documented").isNotNull();
        assertThat(path.propertyNames()).contains("get", "put", "delete");
    }

    @BeforeEach
    void client() {
        api = new ApiClient(baseUrl());
    }

    private String signIn(TestSubscriber s) {
        return api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);
    }

    /** A well-formed request with consent; tests take parts out or change them. */
    private static Map<String, Object> rule(String msisdn, long belowYuan, long amountYuan, int times, String method) {
        Map<String, Object> body = new HashMap<>();
        body.put("msisdn", msisdn);
        body.put("threshold", Map.of("unit", "CNY", "value", belowYuan));
        body.put("amount", Map.of("unit", "CNY", "value", amountYuan));
        body.put("maxPerMonth", times);
        body.put("method", method);
        body.put("consent", true);
        return body;
    }

    private static void assertProblem(Reply reply, int status, String code, String detail) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("code").asString()).isEqualTo(code);
        assertThat(reply.json().get("detail").asString()).isEqualTo(detail);
    }

    private String agreementStatus(AutoTopups.Rule rule) {
        return jdbc.sql("select status from sim_provider_agreement where agreement_no = ?").param(rule.agreementNo()).query(String.class).single();
    }

    private long agreementsOf(TestSubscriber s) {
        return jdbc.sql("select count(*) from sim_provider_agreement where payer_ref = ?").param("TH-C" + s.customerId()).query(Long.class).single();
    }
}
