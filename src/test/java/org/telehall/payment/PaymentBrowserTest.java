package org.telehall.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.customer.Customers;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;
import org.telehall.support.Browser;
import org.telehall.support.HallIntegrationTest;

/** The demo subscriber tops up 50 yuan from the home page with the Alipay-style simulator and sees the money arrive. */
class PaymentBrowserTest extends HallIntegrationTest {

    static Browser browser;

    @Autowired Ledger ledger;
    @Autowired Customers customers;

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
    void the_demo_subscriber_tops_up_fifty_yuan_and_sees_the_new_balance_and_the_receipt() {
        long customerId = customers.lineByMsisdn(new Msisdn(DEMO_MSISDN)).orElseThrow().customerId();
        Money before = ledger.balanceOf(customerId);
        Page page = browser.phone();
        page.navigate(baseUrl() + "/login");
        page.locator("#msisdn").fill(DEMO_MSISDN);
        page.locator("#password").fill(DEMO_PASSWORD);
        clock.advance(java.time.Duration.ofMinutes(6));
        page.getByTestId("login-submit").click();
        page.locator("#code").fill(latestCodeSentTo(DEMO_MSISDN));
        page.getByTestId("code-submit").click();

        page.locator("nav.quick a[href='/topup']").click();
        assertThat(page.locator("#msisdn").inputValue()).isEqualTo(DEMO_MSISDN);
        page.getByTestId("amount-50").check();
        page.getByTestId("method-alipay").check();
        check(page, "topup");
        page.getByTestId("topup-submit").click();

        assertThat(page.url()).contains("/sim/alipay/pay/");
        assertThat(page.getByTestId("sim-amount").textContent()).isEqualTo("¥50.00");
        check(page, "topup-simulated-alipay");
        page.getByTestId("sim-pay").click();

        assertThat(page.url()).contains("/payments/");
        page.waitForCondition(() -> "PAID".equals(page.getByTestId("payment-status").getAttribute("data-status")),
                new Page.WaitForConditionOptions().setTimeout(30_000));
        Money after = before.plus(Money.ofYuan(50));
        assertThat(page.getByTestId("new-balance").textContent()).isEqualTo(after.display());
        assertThat(page.getByTestId("receipt").textContent()).contains("¥50.00").contains("138****8000");
        check(page, "topup-paid");
        assertThat(ledger.balanceOf(customerId)).isEqualTo(after);

        page.navigate(baseUrl() + "/");
        assertThat(page.getByTestId("balance").textContent()).isEqualTo(after.display());
        page.navigate(baseUrl() + "/payments");
        assertThat(page.getByTestId("payment-row").first().textContent()).contains("¥50.00").contains("已到账");
        check(page, "payments");
        page.context().close();
    }

    private static void check(Page page, String name) {
        Browser.screenshot(page, name);
        assertThat(Browser.seriousViolations(page)).as(() -> name + ": " + Browser.describe(Browser.seriousViolations(page))).isEmpty();
    }
}
