package org.telehall.billing;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.time.Duration;
import java.time.YearMonth;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.telehall.customer.Customer;
import org.telehall.support.Browser;
import org.telehall.support.HallIntegrationTest;

/**
 * The demo subscriber in a real browser, on a phone: from home to the bills, the year chart, last
 * month's bill with a category opened, in Chinese, English and elderly mode, each checked by axe.
 */
class BillsBrowserTest extends HallIntegrationTest {

    static Browser browser;

    @BeforeAll
    static void startBrowser() {
        browser = new Browser();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void the_demo_subscriber_opens_last_months_bill_from_home() {
        Page page = browser.phone();
        signIn(page);
        YearMonth lastMonth = YearMonth.now(clock.withZone(Customer.ZONE)).minusMonths(1);

        page.navigate(baseUrl() + "/");
        page.locator("a[href='/bills']").first().click();
        assertThat(page.getByTestId("chart-bar").count()).isGreaterThanOrEqualTo(3);
        assertThat(page.getByTestId("spend-chart").boundingBox().height).isGreaterThan(100);
        check(page, "bills");

        page.getByTestId("bill-row").first().click();
        assertThat(page.locator("h1").textContent()).isEqualTo(lastMonth.getYear() + "年" + lastMonth.getMonthValue() + "月账单");
        page.locator("[data-category=PLAN] summary").click();
        assertThat(page.locator("[data-category=PLAN] [data-testid=item]").first().isVisible()).isTrue();
        check(page, "bill");
        String billUrl = page.url();

        page.navigate(baseUrl() + "/lang?to=en&back=/bills");
        try {
            assertThat(page.locator("h1").textContent()).isEqualTo("Bills");
            check(page, "bills-en");
            page.navigate(billUrl);
            assertThat(page.locator("h1").textContent()).isEqualTo("Bill for " + lastMonth.getMonthValue() + "/" + lastMonth.getYear());
            check(page, "bill-en");
        } finally {
            page.navigate(baseUrl() + "/lang?to=zh-CN&back=/");
        }

        page.navigate(baseUrl() + "/");
        page.getByTestId("elderly-on").click();
        try {
            page.navigate(billUrl);
            assertThat(page.locator("body").getAttribute("class")).contains("elderly");
            check(page, "bill-elderly");
            page.navigate(baseUrl() + "/bills");
            check(page, "bills-elderly");
        } finally {
            page.navigate(baseUrl() + "/");
            page.getByTestId("elderly-off").click();
        }
        page.context().close();
    }

    private void signIn(Page page) {
        page.navigate(baseUrl() + "/login");
        page.locator("#msisdn").fill(DEMO_MSISDN);
        page.locator("#password").fill(DEMO_PASSWORD);
        clock.advance(Duration.ofMinutes(6));
        page.getByTestId("login-submit").click();
        page.locator("#code").fill(latestCodeSentTo(DEMO_MSISDN));
        page.getByTestId("code-submit").click();
    }

    private static void check(Page page, String name) {
        Browser.screenshot(page, name);
        assertThat(Browser.seriousViolations(page)).as(() -> name + ": " + Browser.describe(Browser.seriousViolations(page))).isEmpty();
    }
}
