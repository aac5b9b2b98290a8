package org.telehall.hall;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.customer.Customers;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Msisdn;
import org.telehall.support.Browser;
import org.telehall.support.BrowserTest;

/** The hall as a subscriber sees it in a real browser: sign in, balance, English, elderly mode, accessibility. */
class HallBrowserTest extends BrowserTest {

    @Autowired
    Ledger ledger;

    @Autowired
    Customers customers;

    @Test
    void a_subscriber_signs_in_sees_the_balance_switches_to_english_and_to_elderly_mode_and_back() {
        Page page = browser.phone();
        long customerId = customers.lineByMsisdn(new Msisdn(DEMO_MSISDN)).orElseThrow().customerId();
        String balance = ledger.balanceOf(customerId).display();

        signIn(page);
        assertThat(page.url()).isEqualTo(baseUrl() + "/");
        assertThat(page.getByTestId("balance").textContent()).isEqualTo(balance);
        assertThat(page.locator("h1").textContent()).contains("张伟");
        assertThat(page.getByTestId("data-used").textContent()).startsWith("已用");
        check(page, "home-zh");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English")).click();
        assertThat(page.locator("html").getAttribute("lang")).isEqualTo("en");
        assertThat(page.locator("#balance-label").textContent()).isEqualTo("Balance");
        assertThat(page.getByTestId("balance").textContent()).isEqualTo(balance);
        Browser.screenshot(page, "home-en");

        page.getByTestId("elderly-on").click();
        assertThat(page.locator("body").getAttribute("class")).contains("elderly");
        assertThat(page.getByTestId("balance").textContent()).isEqualTo(balance);
        // MIIT 2021: body text ≥ 18 px, key figures ≥ 30 px, line height ≥ 1.3
        assertThat(px(page, "body", "fontSize")).isGreaterThanOrEqualTo(18);
        assertThat(px(page, "[data-testid=balance]", "fontSize")).isGreaterThanOrEqualTo(30);
        assertThat(px(page, "body", "lineHeight") / px(page, "body", "fontSize")).isGreaterThanOrEqualTo(1.3);
        // only balance, data left and the three big entries; no tab bar, no other actions
        assertThat(page.locator(".elder-btn").count()).isEqualTo(3);
        assertThat(page.locator(".tabbar").count()).isZero();
        assertThat(page.locator(".quick").count()).isZero();
        for (var button : page.locator(".elder-btn, [data-testid=elderly-off], .pill").all()) {
            var box = button.boundingBox();
            assertThat(box.width).as("touch target width").isGreaterThanOrEqualTo(60);
            assertThat(box.height).as("touch target height").isGreaterThanOrEqualTo(60);
        }
        check(page, "home-elderly-en");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("中文")).click();
        check(page, "home-elderly-zh");

        // remembered per user: a new browser that signs in gets elderly mode straight away
        Page other = browser.phone();
        signIn(other);
        Browser.screenshot(other, "second-device");
        assertThat(other.locator("body").getAttribute("class")).contains("elderly");
        other.context().close();

        page.getByTestId("elderly-off").click();
        assertThat(String.valueOf(page.locator("body").getAttribute("class"))).doesNotContain("elderly");
        assertThat(page.locator(".quick a").count()).isEqualTo(8);
        page.context().close();
    }

    @Test
    void every_account_page_shows_the_subscribers_data_and_passes_an_accessibility_scan() {
        Page page = browser.phone();
        page.navigate(baseUrl() + "/tariffs");
        assertThat(page.locator("article.tariff").count()).isGreaterThanOrEqualTo(10);
        assertThat(page.locator("[data-offering=plan-5g-128]").textContent()).contains("¥128.00");
        check(page, "tariffs");

        page.navigate(baseUrl() + "/login");
        check(page, "login");
        signIn(page);

        page.navigate(baseUrl() + "/plan");
        assertThat(page.locator("h2").first().textContent()).isEqualTo("5G畅享套餐 128元");
        assertThat(page.getByTestId("pack").count()).isEqualTo(1);
        assertThat(page.getByTestId("service").count()).isEqualTo(2);
        check(page, "plan");

        page.navigate(baseUrl() + "/balance");
        assertThat(page.getByTestId("movement").count()).isGreaterThan(5);
        check(page, "balance");

        page.navigate(baseUrl() + "/usage?type=VOICE");
        assertThat(page.getByTestId("usage-row").count()).isGreaterThan(0);
        for (var party : page.getByTestId("party").allTextContents()) {
            assertThat(party).matches("\\d{3}\\*+\\d{4}|\\d{5}|—");
        }
        check(page, "usage");

        page.navigate(baseUrl() + "/lines");
        page.getByTestId("select-13800138001").click();
        assertThat(page.locator(".line-switch").textContent()).contains("138****8001");
        assertThat(page.getByTestId("plan-name").textContent()).isEqualTo("长辈关爱套餐 18元");
        page.navigate(baseUrl() + "/lines");
        check(page, "lines");

        page.navigate(baseUrl() + "/settings");
        check(page, "settings");
        page.navigate(baseUrl() + "/service");
        check(page, "coming-soon");
        page.context().close();
    }
}
