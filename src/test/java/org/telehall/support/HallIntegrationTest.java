package org.telehall.support;

import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.telehall.notify.Sms;
import org.telehall.notify.SmsMessage;

/**
 * Base of every integration test: the whole hall on a random port, the demo operator seeded into a
 * fresh embedded PostgreSQL, a clock tests move forward (never back: codes and locks written
 * at a later time must stay in the past for the next test). One Spring context is shared by all subclasses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
@Import(HallIntegrationTest.TestClockConfig.class)
public abstract class HallIntegrationTest {

    public static final String DEMO_MSISDN = "13800138000";
    public static final String OTHER_MSISDN = "13900139000";
    public static final String DEMO_PASSWORD = "Demo@2026";

    @LocalServerPort
    protected int port;

    @Autowired
    protected TestClock clock;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected Sms sms;

    protected String baseUrl() {
        return "http://localhost:" + port;
    }

    /** The 6-digit code in the newest SMS sent to {@code msisdn}. */
    protected String latestCodeSentTo(String msisdn) {
        List<SmsMessage> sent = sms.sentTo(msisdn, 1);
        if (sent.isEmpty()) {
            throw new AssertionError("no SMS was sent to " + msisdn);
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(\\d{6})\\b").matcher(sent.get(0).body());
        if (!m.find()) {
            throw new AssertionError("no 6-digit code in SMS: " + sent.get(0).body());
        }
        return m.group(1);
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class TestClockConfig {
        @Bean
        @Primary
        TestClock testClock() {
            return new TestClock();
        }
    }
}
