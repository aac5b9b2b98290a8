package org.telehall.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.support.ApiClient;
import org.telehall.support.ApiClient.Reply;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;

/** Token sign-in through /api/v1/auth: password, SMS code, Bearer token; and every way it is refused. */
class AuthApiTest extends HallIntegrationTest {

    static final String ME = "/tmf-api/customerManagement/v4/customer";

    @Autowired TestCustomers testCustomers;

    @Test
    void password_then_sms_code_gives_a_bearer_token_that_reads_the_customers_own_data() {
        ApiClient api = new ApiClient(baseUrl());
        clock.advance(Duration.ofMinutes(6));
        Reply login = api.post("/api/v1/auth/login", Map.of("msisdn", DEMO_MSISDN, "password", DEMO_PASSWORD), null);
        assertThat(login.status()).isEqualTo(202);
        assertThat(login.json().get("status").asString()).isEqualTo("code_sent");

        Reply verify = api.post("/api/v1/auth/verify", Map.of("msisdn", DEMO_MSISDN, "code", latestCodeSentTo(DEMO_MSISDN)), null);
        assertThat(verify.status()).isEqualTo(200);
        assertThat(verify.json().get("token_type").asString()).isEqualTo("Bearer");
        assertThat(verify.json().get("expires_in").asLong()).isEqualTo(1800);
        String token = verify.json().get("access_token").asString();

        Reply me = api.get(ME, token);
        assertThat(me.status()).isEqualTo(200);
        long demoCustomer = jdbc.sql("select customer_id from line where msisdn = ?").param(DEMO_MSISDN).query(Long.class).single();
        assertThat(me.json().get(0).get("id").asString()).isEqualTo(Long.toString(demoCustomer));
    }

    @Test
    void a_wrong_password_is_401_problem_details_and_sends_no_code() {
        var user = testCustomers.subscriber("Api Wrong");
        Reply reply = new ApiClient(baseUrl()).post("/api/v1/auth/login", Map.of("msisdn", user.msisdn(), "password", "not-it"), null);
        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("status").asInt()).isEqualTo(401);
        assertThat(reply.json().get("type").asString()).endsWith("login-bad-credentials");
        assertThat(sms.sentTo(user.msisdn(), 10)).isEmpty();
    }

    @Test
    void missing_fields_are_400_problem_details() {
        Reply reply = new ApiClient(baseUrl()).post("/api/v1/auth/login", Map.of("msisdn", DEMO_MSISDN), null);
        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/problem+json");
        assertThat(reply.json().get("detail").asString()).contains("password");
    }

    @Test
    void five_wrong_passwords_lock_the_login_for_fifteen_minutes_with_423() {
        var user = testCustomers.subscriber("Api Lock");
        ApiClient api = new ApiClient(baseUrl());
        for (int i = 0; i < 4; i++) {
            assertThat(api.post("/api/v1/auth/login", Map.of("msisdn", user.msisdn(), "password", "wrong" + i), null).status()).isEqualTo(401);
        }
        assertThat(api.post("/api/v1/auth/login", Map.of("msisdn", user.msisdn(), "password", "wrong again"), null).status()).isEqualTo(423);
        Reply locked = api.post("/api/v1/auth/login", Map.of("msisdn", user.msisdn(), "password", user.password()), null);
        assertThat(locked.status()).isEqualTo(423);
        assertThat(locked.json().get("lockedUntil").asString()).isNotBlank();
        assertThat(sms.sentTo(user.msisdn(), 10)).isEmpty();

        clock.advance(Duration.ofMinutes(16));
        assertThat(api.post("/api/v1/auth/login", Map.of("msisdn", user.msisdn(), "password", user.password()), null).status()).isEqualTo(202);
    }

    @Test
    void five_wrong_codes_lock_the_login_and_the_right_code_no_longer_works() {
        var user = testCustomers.subscriber("Api Code Lock");
        ApiClient api = new ApiClient(baseUrl());
        assertThat(api.post("/api/v1/auth/login", Map.of("msisdn", user.msisdn(), "password", user.password()), null).status()).isEqualTo(202);
        String right = latestCodeSentTo(user.msisdn());
        String wrong = right.equals("000000") ? "111111" : "000000";
        for (int i = 0; i < 4; i++) {
            assertThat(api.post("/api/v1/auth/verify", Map.of("msisdn", user.msisdn(), "code", wrong), null).status()).isEqualTo(401);
        }
        assertThat(api.post("/api/v1/auth/verify", Map.of("msisdn", user.msisdn(), "code", wrong), null).status()).isEqualTo(423);
        Reply afterLock = api.post("/api/v1/auth/verify", Map.of("msisdn", user.msisdn(), "code", right), null);
        assertThat(afterLock.status()).isEqualTo(423);
        assertThat(afterLock.body()).doesNotContain("access_token");
        assertThat(api.post("/api/v1/auth/login", Map.of("msisdn", user.msisdn(), "password", user.password()), null).status()).isEqualTo(423);
    }

    @Test
    void a_code_is_single_use_and_expires_after_five_minutes() {
        var user = testCustomers.subscriber("Api Code Once");
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, user.msisdn(), user.password(), this::latestCodeSentTo);
        assertThat(token).isNotBlank();
        String used = latestCodeSentTo(user.msisdn());
        assertThat(api.post("/api/v1/auth/verify", Map.of("msisdn", user.msisdn(), "code", used), null).status()).isEqualTo(401);

        clock.advance(Duration.ofMinutes(2));
        assertThat(api.post("/api/v1/auth/login", Map.of("msisdn", user.msisdn(), "password", user.password()), null).status()).isEqualTo(202);
        String fresh = latestCodeSentTo(user.msisdn());
        clock.advance(Duration.ofMinutes(5).plusSeconds(1));
        Reply expired = api.post("/api/v1/auth/verify", Map.of("msisdn", user.msisdn(), "code", fresh), null);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().get("type").asString()).endsWith("login-code-expired");
    }

    @Test
    void a_token_expires_after_thirty_minutes() {
        var user = testCustomers.subscriber("Api Token Age");
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, user.msisdn(), user.password(), this::latestCodeSentTo);
        assertThat(api.get(ME, token).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(29));
        assertThat(api.get(ME, token).status()).isEqualTo(200);
        clock.advance(Duration.ofMinutes(3));
        Reply expired = api.get(ME, token);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void no_token_or_a_forged_one_is_401_problem_details_on_every_customer_resource() {
        ApiClient api = new ApiClient(baseUrl());
        var user = testCustomers.subscriber("Api Forger");
        String real = api.signIn(clock, user.msisdn(), user.password(), this::latestCodeSentTo);
        String[] parts = real.split("\\.");
        // same header and claims, but the customer id changed: the signature no longer matches
        String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8)
                .replaceAll("\"customer_id\":\\d+", "\"customer_id\":1");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims.getBytes(java.nio.charset.StandardCharsets.UTF_8)) + "." + parts[2];
        for (String path : new String[]{ME, ME + "/1", "/tmf-api/productInventory/v4/product",
                "/tmf-api/prepayBalanceManagement/v4/bucket", "/tmf-api/usageManagement/v4/usage"}) {
            for (String token : new String[]{null, "not-a-jwt", forged}) {
                Reply reply = api.get(path, token);
                assertThat(reply.status()).as(path + " with " + token).isEqualTo(401);
                assertThat(reply.header("Content-Type")).as(path).startsWith("application/problem+json");
                assertThat(reply.json().get("status").asInt()).isEqualTo(401);
            }
        }
    }
}
