package org.telehall.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.WebSession;

/** Signing in through the pages: password, SMS code, lock-out, expiry, extension, session id. */
class PageSignInTest extends HallIntegrationTest {

    @Autowired
    TestCustomers testCustomers;

    @Test
    void the_demo_subscriber_signs_in_with_password_and_sms_code_and_gets_a_new_session_id() {
        WebSession web = new WebSession(baseUrl());
        web.get("/login");
        clock.advance(Duration.ofMinutes(6));
        var afterPassword = web.post("/login", Map.of("msisdn", DEMO_MSISDN, "password", DEMO_PASSWORD));
        assertThat(WebSession.location(afterPassword)).endsWith("/login/code");
        String sessionBeforeCode = afterPassword.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElse("none");
        var codePage = web.get("/login/code");
        assertThat(codePage.body()).contains("138****8000");
        var signedIn = web.post("/login/code", Map.of("code", latestCodeSentTo(DEMO_MSISDN)));
        assertThat(WebSession.location(signedIn)).endsWith("/");
        String sessionAfter = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID=")).findFirst().orElseThrow();
        assertThat(sessionAfter.split(";")[0]).isNotEqualTo(sessionBeforeCode.split(";")[0]);
        assertThat(web.get("/").body()).contains("您好，张伟");
    }

    @Test
    void a_wrong_password_says_so_in_chinese_and_an_unknown_number_gets_the_same_answer() {
        var user = testCustomers.subscriber("Wrong Password");
        WebSession web = new WebSession(baseUrl());
        web.get("/login");
        var wrong = web.post("/login", Map.of("msisdn", user.msisdn(), "password", "nope"));
        assertThat(wrong.statusCode()).isEqualTo(200);
        assertThat(wrong.body()).contains("手机号码或服务密码不正确");
        var unknown = web.post("/login", Map.of("msisdn", "13312345678", "password", "nope"));
        assertThat(unknown.body()).contains("手机号码或服务密码不正确");
    }

    @Test
    void five_wrong_passwords_lock_the_login_for_fifteen_minutes_even_for_the_right_password() {
        var user = testCustomers.subscriber("Lock Page");
        WebSession web = new WebSession(baseUrl());
        web.get("/login");
        for (int i = 0; i < 4; i++) {
            assertThat(web.post("/login", Map.of("msisdn", user.msisdn(), "password", "wrong")).body()).contains("不正确");
        }
        assertThat(web.post("/login", Map.of("msisdn", user.msisdn(), "password", "wrong")).body()).contains("登录已锁定");
        assertThat(web.post("/login", Map.of("msisdn", user.msisdn(), "password", user.password())).body()).contains("登录已锁定");
        assertThat(sms.sentTo(user.msisdn(), 10)).isEmpty();
        clock.advance(Duration.ofMinutes(16));
        assertThat(WebSession.location(web.post("/login", Map.of("msisdn", user.msisdn(), "password", user.password()))))
                .endsWith("/login/code");
    }

    @Test
    void five_wrong_codes_lock_the_login_too() {
        var user = testCustomers.subscriber("Lock Code");
        WebSession web = new WebSession(baseUrl());
        web.get("/login");
        web.post("/login", Map.of("msisdn", user.msisdn(), "password", user.password()));
        web.get("/login/code");
        String right = latestCodeSentTo(user.msisdn());
        String wrong = right.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 4; i++) {
            assertThat(web.post("/login/code", Map.of("code", wrong)).body()).contains("验证码不正确");
        }
        assertThat(web.post("/login/code", Map.of("code", wrong)).body()).contains("登录已锁定");
        // the right code no longer helps: the pending sign-in is gone and the account is locked
        assertThat(WebSession.location(web.post("/login/code", Map.of("code", right)))).endsWith("/login");
    }

    @Test
    void a_code_expires_after_five_minutes_but_need_more_time_extends_it() {
        var user = testCustomers.subscriber("Slow Reader");
        WebSession web = new WebSession(baseUrl());
        web.get("/login");
        web.post("/login", Map.of("msisdn", user.msisdn(), "password", user.password()));
        web.get("/login/code");
        String code = latestCodeSentTo(user.msisdn());
        clock.advance(Duration.ofMinutes(4));
        assertThat(WebSession.location(web.post("/login/code/extend", Map.of()))).endsWith("/login/code");
        assertThat(web.get("/login/code").body()).contains("已为您延长验证码有效期");
        clock.advance(Duration.ofMinutes(4)); // 8 minutes after sending: only alive thanks to the extension
        assertThat(WebSession.location(web.post("/login/code", Map.of("code", code)))).endsWith("/");
    }

    @Test
    void an_expired_code_is_refused_and_a_used_code_cannot_be_used_again() {
        var user = testCustomers.subscriber("Late Typist");
        WebSession web = new WebSession(baseUrl());
        web.get("/login");
        web.post("/login", Map.of("msisdn", user.msisdn(), "password", user.password()));
        web.get("/login/code");
        String code = latestCodeSentTo(user.msisdn());
        clock.advance(Duration.ofMinutes(6));
        assertThat(web.post("/login/code", Map.of("code", code)).body()).contains("验证码已过期");

        clock.advance(Duration.ofMinutes(2));
        WebSession again = new WebSession(baseUrl());
        again.get("/login");
        again.post("/login", Map.of("msisdn", user.msisdn(), "password", user.password()));
        again.get("/login/code");
        String fresh = latestCodeSentTo(user.msisdn());
        assertThat(WebSession.location(again.post("/login/code", Map.of("code", fresh)))).endsWith("/");

        clock.advance(Duration.ofMinutes(2));
        WebSession third = new WebSession(baseUrl());
        third.get("/login");
        third.post("/login", Map.of("msisdn", user.msisdn(), "password", user.password()));
        third.get("/login/code");
        assertThat(third.post("/login/code", Map.of("code", fresh)).body()).contains("验证码不正确");
    }

    @Test
    void pages_need_a_signed_in_user_and_the_price_disclosure_does_not() {
        WebSession web = new WebSession(baseUrl());
        for (String path : new String[]{"/", "/plan", "/balance", "/usage", "/lines", "/settings"}) {
            assertThat(WebSession.location(web.get(path))).as(path).endsWith("/login");
        }
        assertThat(web.get("/tariffs").statusCode()).isEqualTo(200);
    }

    @Test
    void signing_out_ends_the_session() {
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, DEMO_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        web.get("/");
        assertThat(WebSession.location(web.post("/logout", Map.of()))).contains("/login?bye");
        assertThat(WebSession.location(web.get("/"))).endsWith("/login");
    }
}
