package org.telehall.hall;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.support.BrowserTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;

/**
 * The subscriber's pages fit a 390 px phone in Chinese and English, in elderly mode too: nothing
 * makes the whole page scroll sideways (a wide table scrolls inside its own box).
 */
class PhoneWidthBrowserTest extends BrowserTest {

    private static final int PHONE_WIDTH = 390;
    private static final List<String> PAGES = List.of("/", "/balance", "/bills", "/bills/current", "/usage", "/packs", "/plans/change",
            "/features", "/unsubscribe", "/orders", "/payments", "/topup", "/topup/auto", "/invoices", "/notifications", "/settings",
            "/settings/reminders", "/lines");

    @Autowired TestCustomers testCustomers;

    @Test
    void no_page_is_wider_than_the_phone_in_chinese_or_english_in_standard_or_elderly_mode() {
        TestSubscriber s = testCustomers.subscriber("Phone Width");
        Page page = browser.phone();
        signIn(page, s);
        // a top-up writes the provider's trade number (one long word) into the balance history
        startTopUp(page, 50, "alipay");
        page.getByTestId("sim-pay").click();
        page.waitForCondition(() -> "PAID".equals(page.getByTestId("payment-status").getAttribute("data-status")),
                new Page.WaitForConditionOptions().setTimeout(30_000));

        Map<String, Integer> tooWide = new LinkedHashMap<>();
        sweep(page, "zh", tooWide);
        page.navigate(baseUrl() + "/");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English")).click();
        assertThat(page.locator("html").getAttribute("lang")).isEqualTo("en");
        sweep(page, "en", tooWide);
        page.navigate(baseUrl() + "/settings");
        page.getByTestId("elderly-toggle").click();
        page.waitForURL("**/settings");
        assertThat(page.locator("body").getAttribute("class")).contains("elderly");
        sweep(page, "en elderly", tooWide);
        page.navigate(baseUrl() + "/");
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("中文")).click();
        assertThat(page.locator("html").getAttribute("lang")).startsWith("zh");
        sweep(page, "zh elderly", tooWide);
        page.context().close();

        assertThat(tooWide).as("pages wider than %d px (mode and path → width)", PHONE_WIDTH).isEmpty();
    }

    private void sweep(Page page, String mode, Map<String, Integer> tooWide) {
        for (String path : PAGES) {
            Response response = page.navigate(baseUrl() + path);
            assertThat(response.status()).as(mode + " " + path).isEqualTo(200);
            int width = scrollWidth(page);
            if (width > PHONE_WIDTH) {
                tooWide.put(mode + " " + path, width);
            }
        }
    }
}
