package org.telehall.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.customer.LineRestored;
import org.telehall.customer.LineSuspended;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.WebSession;
import org.telehall.usage.UsageRated;

/** The notification centre and the unread badge, as a signed-in subscriber sees them, and only their own. */
class NotificationPagesTest extends HallIntegrationTest {

    @Autowired
    TestCustomers testCustomers;

    @Autowired
    ReminderSettings settings;

    @Autowired
    ApplicationEventPublisher events;

    @Autowired
    TransactionTemplate tx;

    /** Three reminders, oldest first: 80 % data, suspended, restored. */
    private TestCustomers.TestSubscriber withThreeReminders(String name) {
        TestCustomers.TestSubscriber s = testCustomers.subscriber(name);
        settings.save(s.customerId(), new ReminderSettings.Settings(80, null, LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, Set.of()));
        Instant now = clock.instant();
        tx.executeWithoutResult(st -> events.publishEvent(new UsageRated.Batch(List.of(new UsageRated(s.lineId(), s.customerId(), s.msisdn(), now,
                100 * 1024, 70 * 1024, 85 * 1024, 0, Money.ZERO, List.of())))));
        tx.executeWithoutResult(st -> events.publishEvent(new LineSuspended(s.lineId(), s.customerId(), s.msisdn(), "ARREARS", now)));
        tx.executeWithoutResult(st -> events.publishEvent(new LineRestored(s.lineId(), s.customerId(), s.msisdn(), now.plusSeconds(1))));
        return s;
    }

    private static List<String> templatesOnPage(String html) {
        Matcher m = Pattern.compile("data-template=\"([A-Z_]+)\"").matcher(html);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String badge(String html) {
        Matcher m = Pattern.compile("data-testid=\"unread\"[^>]*>([^<]+)<").matcher(html);
        return m.find() ? m.group(1) : null;
    }

    @Test
    void the_centre_lists_newest_first_and_the_badge_on_every_page_counts_what_is_unread() {
        TestCustomers.TestSubscriber s = withThreeReminders("Centre");
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);

        assertThat(badge(web.get("/").body())).isEqualTo("3");
        assertThat(badge(web.get("/settings").body())).isEqualTo("3");
        String centre = web.get("/notifications").body();
        assertThat(templatesOnPage(centre)).containsExactly("RESTORED", "SUSPENDED_ARREARS", "DATA_THRESHOLD");
        assertThat(centre).contains("已用 85 MB（共 100 MB），已达 85%，剩余 15 MB").contains("复机提醒").contains("消息中心，3 条未读");

        long dataId = jdbc.sql("select id from notification where customer_id = ? and template = 'DATA_THRESHOLD'")
                .param(s.customerId()).query(Long.class).single();
        assertThat(WebSession.location(web.post("/notifications/" + dataId + "/read", Map.of()))).contains("/notifications");
        centre = web.get("/notifications").body();
        assertThat(badge(centre)).isEqualTo("2");
        assertThat(centre).contains("data-template=\"DATA_THRESHOLD\" data-unread=\"false\"");

        web.post("/notifications/read-all", Map.of());
        String home = web.get("/").body();
        assertThat(badge(home)).isNull();
        assertThat(home).contains("data-testid=\"bell\"");
        assertThat(jdbc.sql("select count(*) from notification where customer_id = ? and read_at is null").param(s.customerId())
                .query(Long.class).single()).isZero();
    }

    @Test
    void the_centre_speaks_english_and_nobody_can_read_or_mark_someone_elses_entries() {
        TestCustomers.TestSubscriber owner = withThreeReminders("Owner");
        TestCustomers.TestSubscriber other = testCustomers.subscriber("Other");
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, other.msisdn(), other.password(), this::latestCodeSentTo);

        assertThat(templatesOnPage(web.get("/notifications").body())).isEmpty();
        long ownersEntry = jdbc.sql("select max(id) from notification where customer_id = ?").param(owner.customerId())
                .query(Long.class).single();
        web.post("/notifications/" + ownersEntry + "/read", Map.of());
        web.post("/notifications/read-all", Map.of());
        assertThat(jdbc.sql("select count(*) from notification where customer_id = ? and read_at is null").param(owner.customerId())
                .query(Long.class).single()).isEqualTo(3);

        WebSession owners = new WebSession(baseUrl());
        testCustomers.signIn(owners, clock, owner.msisdn(), owner.password(), this::latestCodeSentTo);
        owners.get("/lang?to=en&back=/notifications");
        String english = owners.get("/notifications").body();
        assertThat(english).contains("has used 85 MB of its 100 MB domestic data this cycle (85%); 15 MB left")
                .contains("Line restored").contains("Notifications, 3 unread");
    }
}
