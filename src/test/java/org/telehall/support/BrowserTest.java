package org.telehall.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the tests that drive the hall in a real phone-sized browser: one Chromium per test class,
 * sign-in through the real login pages, and the screenshot-plus-axe check every page gets.
 */
public abstract class BrowserTest extends HallIntegrationTest {

    protected static Browser browser;

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

    /** Signs the demo subscriber in. */
    protected void signIn(Page page) {
        signIn(page, DEMO_MSISDN, DEMO_PASSWORD);
    }

    protected void signIn(Page page, TestCustomers.TestSubscriber subscriber) {
        signIn(page, subscriber.msisdn(), subscriber.password());
    }

    /** Password, then the SMS code, through the login pages. */
    protected void signIn(Page page, String msisdn, String password) {
        page.navigate(baseUrl() + "/login");
        page.locator("#msisdn").fill(msisdn);
        page.locator("#password").fill(password);
        // past the one-code-a-minute limit, and spaced so that no hour holds more than 10 codes
        clock.advance(Duration.ofMinutes(6));
        page.getByTestId("login-submit").click();
        assertThat(page.url()).endsWith("/login/code");
        page.locator("#code").fill(latestCodeSentTo(msisdn));
        page.getByTestId("code-submit").click();
    }

    /** A top-up asked for through the pages: the amount's tile, the method, submit; the page is then the provider's checkout. */
    protected void startTopUp(Page page, int yuan, String method) {
        page.navigate(baseUrl() + "/topup");
        page.getByTestId("amount-" + yuan).check();
        page.getByTestId("method-" + method).check();
        page.getByTestId("topup-submit").click();
        assertThat(page.url()).contains("/sim/" + method + "/pay/");
    }

    /** A screenshot for a person to look at, and no serious or critical axe violation. */
    protected static void check(Page page, String name) {
        Browser.screenshot(page, name);
        assertThat(Browser.seriousViolations(page)).as(() -> name + ": " + Browser.describe(Browser.seriousViolations(page))).isEmpty();
    }

    /** How wide the page is laid out, in CSS pixels: wider than the viewport means it scrolls sideways. */
    protected static int scrollWidth(Page page) {
        return ((Number) page.evaluate("() => document.documentElement.scrollWidth")).intValue();
    }

    /** A computed style length of the first element matching {@code selector}, in CSS pixels. */
    protected static double px(Page page, String selector, String property) {
        Object value = page.locator(selector).first().evaluate("(e, p) => getComputedStyle(e)[p]", property);
        return Double.parseDouble(value.toString().replace("px", ""));
    }
}
