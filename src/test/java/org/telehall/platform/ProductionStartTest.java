package org.telehall.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.telehall.support.WebSession;

/** Without the demo profile the hall starts empty, with only the admin from the environment and no /dev pages. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "telehall.secrets.token-secret=an-operators-own-token-secret-of-40-chars!",
        "telehall.secrets.data-key=own-data-key-1234",
        "telehall.secrets.data-salt=00112233445566778899aabb",
        "telehall.admin.username=opsadmin",
        "telehall.admin.password=Ops-Admin-2026!"})
@ActiveProfiles("test")
class ProductionStartTest {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void starts_empty_with_the_admin_from_the_environment_and_no_dev_outbox() {
        assertThat(jdbc.sql("select count(*) from customer").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from catalog_offering").query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select username from app_user where role = 'ADMIN'").query(String.class).list()).containsExactly("opsadmin");

        WebSession web = new WebSession("http://localhost:" + port);
        assertThat(web.get("/dev/sms").statusCode()).isEqualTo(404);
        assertThat(web.get("/dev/sms?msisdn=13800138000").statusCode()).isEqualTo(404);

        web.get("/login");
        var signedIn = web.post("/login", Map.of("msisdn", "opsadmin", "password", "Ops-Admin-2026!"));
        assertThat(WebSession.location(signedIn)).endsWith("/");
        assertThat(web.get("/").body()).contains("运营管理员");
    }
}
