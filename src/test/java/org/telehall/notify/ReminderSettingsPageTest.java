package org.telehall.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestLines;
import org.telehall.support.WebSession;
import org.telehall.usage.Rating;
import org.telehall.usage.UsageSubmission;

/** The reminder settings page: defaults shown, choices saved and used by the next crossing, bad input refused and kept. */
class ReminderSettingsPageTest extends HallIntegrationTest {

    @Autowired
    TestCustomers testCustomers;

    @Autowired
    TestLines testLines;

    @Autowired
    ReminderSettings settings;

    @Autowired
    Rating rating;

    private WebSession signedIn(TestCustomers.TestSubscriber s) {
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        return web;
    }

    @Test
    void the_page_shows_the_defaults_and_saved_choices_take_effect_on_the_next_crossing() {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("Chooser");
        testLines.plan(s, "plan-5g-58", 100 * 1024, 100, 100, clock.instant());
        WebSession web = signedIn(s);

        assertThat(web.get("/settings").body()).contains("href=\"/settings/reminders\"");
        String page = web.get("/settings/reminders").body();
        assertThat(page).contains("name=\"threshold\"").contains("value=\"80\"").contains("value=\"22:00\"").contains("value=\"08:00\"");
        assertThat(page).containsPattern("id=\"kind-DATA\"[^>]*checked").doesNotContainPattern("id=\"kind-LOW_BALANCE\"[^>]*checked");

        var saved = web.post("/settings/reminders", Map.of("on", "DATA", "threshold", "60", "lowBalance", "",
                "quietFrom", "00:00", "quietTo", "00:00"));
        assertThat(WebSession.location(saved)).endsWith("/settings/reminders?saved");
        assertThat(settings.of(s.customerId()).dataThresholdPct()).isEqualTo(60);
        assertThat(settings.of(s.customerId()).off()).contains(ReminderKind.ROAMING, ReminderKind.LOW_BALANCE).doesNotContain(ReminderKind.DATA);
        assertThat(web.get("/settings/reminders?saved").body()).contains("已保存").contains("value=\"60\"")
                .doesNotContainPattern("id=\"kind-ROAMING\"[^>]*checked");

        rating.rate(List.of(new UsageSubmission("chooser-" + System.nanoTime(), s.msisdn(), "data", null,
                clock.instant().minusSeconds(5).toString(), null, BigDecimal.valueOf(62 * 1024), "KB", null)));
        assertThat(jdbc.sql("select template from notification where customer_id = ?").param(s.customerId()).query(String.class).list())
                .containsExactly("DATA_THRESHOLD");
        assertThat(sms.sentTo(s.msisdn(), 1).get(0).body()).as("no quiet hours: sent at once").contains("62%");
    }

    @Test
    void a_low_balance_amount_and_quiet_hours_are_saved_and_bad_input_is_refused_with_the_reason_and_nothing_changes() {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("Careful");
        WebSession web = signedIn(s);
        web.get("/settings/reminders");

        var ok = web.post("/settings/reminders", Map.of("on", "LOW_BALANCE", "threshold", "90", "lowBalance", "12.50",
                "quietFrom", "23:30", "quietTo", "07:00"));
        assertThat(ok.statusCode()).isEqualTo(302);
        ReminderSettings.Settings chosen = settings.of(s.customerId());
        assertThat(chosen.lowBalance()).isEqualTo(Money.ofFen(1250));
        assertThat(chosen.quietFrom()).isEqualTo(LocalTime.of(23, 30));
        assertThat(chosen.quietTo()).isEqualTo(LocalTime.of(7, 0));
        assertThat(chosen.off()).contains(ReminderKind.DATA);
        assertThat(web.get("/settings/reminders").body()).contains("value=\"12.50\"").contains("value=\"23:30\"");

        var tooHigh = web.post("/settings/reminders", Map.of("on", "DATA", "threshold", "120", "lowBalance", "",
                "quietFrom", "22:00", "quietTo", "08:00"));
        assertThat(tooHigh.statusCode()).isEqualTo(200);
        assertThat(tooHigh.body()).contains("流量提醒比例请填 50 到 99 之间的整数").contains("value=\"120\"");
        var noAmount = web.post("/settings/reminders", Map.of("on", "LOW_BALANCE", "threshold", "80", "lowBalance", "",
                "quietFrom", "22:00", "quietTo", "08:00"));
        assertThat(noAmount.body()).contains("开启余额提醒时，请填写提醒金额");
        var badAmount = web.post("/settings/reminders", Map.of("on", "LOW_BALANCE", "threshold", "80", "lowBalance", "1.234",
                "quietFrom", "22:00", "quietTo", "08:00"));
        assertThat(badAmount.body()).contains("不超过两位小数");
        assertThat(settings.of(s.customerId())).isEqualTo(chosen);

        web.get("/lang?to=en&back=/settings/reminders");
        var english = web.post("/settings/reminders", Map.of("threshold", "10", "lowBalance", "", "quietFrom", "22:00", "quietTo", "08:00"));
        assertThat(english.body()).contains("must be a whole number from 50 to 99");
        assertThat(settings.of(s.customerId())).isEqualTo(chosen);
        assertThat(settings.of(s.customerId())).isNotEqualTo(ReminderSettings.Settings.DEFAULT);
        assertThat(Set.copyOf(ReminderSettings.Settings.DEFAULT.off())).isEmpty();
    }
}
