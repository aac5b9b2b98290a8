package org.telehall.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.shared.DataVolume;
import org.telehall.shared.Msisdn;
import org.telehall.support.ApiClient;
import org.telehall.support.Browser;
import org.telehall.support.BrowserTest;
import org.telehall.usage.Allowance;
import org.telehall.usage.Allowances;
import org.telehall.usage.UsageType;

/** The demo subscriber watches the data gauge move as the network reports usage, and finds the 80 % reminder. */
class NotifyBrowserTest extends BrowserTest {

    @Autowired
    Customers customers;

    @Autowired
    Allowances allowances;

    @Test
    void the_data_gauge_moves_after_usage_is_posted_and_the_80_percent_reminder_is_in_the_notification_centre() {
        Line line = customers.lineByMsisdn(new Msisdn(DEMO_MSISDN)).orElseThrow();
        Allowance before = allowances.summary(line.id(), clock.instant()).get(UsageType.DATA);
        assertThat(before.used() * 100).as("the demo subscriber starts below 80 %").isLessThan(before.total() * 80);
        Page page = browser.phone();
        signIn(page);
        assertThat(page.getByTestId("data-used").textContent()).contains(before.usedVolume().display());
        String gaugeBefore = page.locator(".gauge .ring").first().getAttribute("aria-valuenow");

        // the network reports enough data to pass 80 % of the allowance
        long kb = before.total() * 80 / 100 - before.used() + 1024;
        String record = "{\"id\":\"browser-" + System.nanoTime() + "\",\"usageDate\":\"" + clock.instant().minusSeconds(60)
                + "\",\"usageType\":\"data\",\"usageCharacteristic\":[{\"name\":\"msisdn\",\"value\":\"" + DEMO_MSISDN
                + "\"},{\"name\":\"quantity\",\"value\":{\"amount\":" + kb + ",\"units\":\"KB\"}}]}";
        ApiClient api = new ApiClient(baseUrl());
        ApiClient.Reply reply = api.postJson("/api/v1/usage-batches", "[" + record + "]", api.networkToken());
        assertThat(reply.json().get("rated").asInt()).isEqualTo(1);

        page.reload();
        String usedAfter = new DataVolume(before.used() + kb).display();
        assertThat(page.getByTestId("data-used").textContent()).contains(usedAfter);
        assertThat(Integer.parseInt(page.locator(".gauge .ring").first().getAttribute("aria-valuenow")))
                .isLessThan(Integer.parseInt(gaugeBefore)).isLessThanOrEqualTo(20);
        assertThat(page.getByTestId("unread").textContent()).isNotBlank();
        Browser.screenshot(page, "notify-home-badge");

        page.getByTestId("bell").click();
        assertThat(page.url()).endsWith("/notifications");
        var newest = page.getByTestId("notification").first();
        assertThat(newest.getAttribute("data-template")).isEqualTo("DATA_THRESHOLD");
        assertThat(newest.getAttribute("data-unread")).isEqualTo("true");
        assertThat(newest.textContent()).contains("流量使用提醒").contains("80%").contains(line.msisdn().masked());
        check(page, "notify-centre-zh");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English")).click();
        assertThat(page.getByTestId("notification").first().textContent()).contains("Data usage").contains("domestic data");
        Browser.screenshot(page, "notify-centre-en");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("中文")).click();

        newest = page.getByTestId("notification").first();
        newest.getByTestId("mark-read").click();
        assertThat(page.getByTestId("notification").first().getAttribute("data-unread")).isEqualTo("false");

        // the reminder settings, one tap from the centre (looked at, not changed: other tests share this subscriber)
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("提醒设置")).click();
        assertThat(page.url()).endsWith("/settings/reminders");
        assertThat(page.locator("#threshold").inputValue()).isEqualTo("80");
        assertThat(page.getByTestId("kind-DATA").isChecked()).isTrue();
        check(page, "reminder-settings-zh");

        // elderly mode: the bell and the centre are there, large
        page.navigate(baseUrl() + "/");
        page.getByTestId("elderly-on").click();
        page.getByTestId("bell").click();
        assertThat(page.locator("body").getAttribute("class")).contains("elderly");
        assertThat(page.getByTestId("notification").count()).isGreaterThanOrEqualTo(1);
        var bell = page.getByTestId("bell").boundingBox();
        assertThat(bell.height).isGreaterThanOrEqualTo(60);
        check(page, "notify-centre-elderly");
        page.navigate(baseUrl() + "/settings/reminders");
        check(page, "reminder-settings-elderly");
        // back to the standard hall, as the other tests expect of the demo subscriber
        page.navigate(baseUrl() + "/");
        page.getByTestId("elderly-off").click();
        assertThat(String.valueOf(page.locator("body").getAttribute("class"))).doesNotContain("elderly");
        page.context().close();
    }
}
