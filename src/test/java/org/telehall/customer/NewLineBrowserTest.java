package org.telehall.customer;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.support.BrowserTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;

/** The number picker in a real phone-sized browser: htmx search, hold, English, elderly mode, accessibility. */
class NewLineBrowserTest extends BrowserTest {

    @Autowired TestCustomers testCustomers;
    @Autowired NumberPool pool;

    @Test
    void from_my_lines_a_subscriber_finds_a_lucky_number_holds_it_and_reads_the_page_in_english_and_elderly_mode() {
        TestSubscriber s = testCustomers.subscriber("Browser Picker");
        Page page = browser.phone();
        signIn(page, s);

        page.navigate(baseUrl() + "/lines");
        page.getByTestId("new-line").click();
        assertThat(page.url()).endsWith("/lines/new");
        assertThat(scrollWidth(page)).isLessThanOrEqualTo(390);
        check(page, "new-line-zh");

        // typing refreshes only the results, through htmx
        page.waitForResponse(r -> r.url().contains("/lines/new/numbers") && r.url().contains("8888"),
                () -> page.locator("#nl-q").fill("8888"));
        page.waitForResponse(r -> r.url().contains("/lines/new/numbers") && r.url().contains("lucky=true"),
                () -> page.locator("#nl-lucky").check());
        assertThat(page.url()).endsWith("/lines/new");
        var numbers = page.locator("#numbers .pick-number").allTextContents();
        assertThat(numbers).isNotEmpty().allSatisfy(n -> assertThat(n.replace(" ", "")).contains("8888"));
        assertThat(page.locator("#numbers .pick.lucky").count()).isEqualTo(numbers.size());

        page.locator("#numbers .pick").first().click();
        assertThat(page.getByTestId("hold").isVisible()).isTrue();
        String held = numbers.get(0).replace(" ", "");
        assertThat(pool.holdOf(s.customerId(), clock.instant())).map(h -> h.msisdn().value()).contains(held);
        assertThat(page.getByTestId("held-until").textContent()).startsWith("为您保留到 ");
        check(page, "new-line-held-zh");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("English")).click();
        assertThat(page.locator("html").getAttribute("lang")).isEqualTo("en");
        assertThat(page.getByTestId("held-until").textContent()).startsWith("Held for you until ");
        check(page, "new-line-held-en");

        page.navigate(baseUrl() + "/settings");
        page.getByTestId("elderly-toggle").click();
        page.waitForURL("**/settings");
        page.navigate(baseUrl() + "/lines/new");
        assertThat(page.locator("body").getAttribute("class")).contains("elderly");
        // MIIT 2021: body text ≥ 18 px, touch targets ≥ 60 × 60
        assertThat(px(page, "body", "fontSize")).isGreaterThanOrEqualTo(18);
        var pick = page.locator("#numbers .pick").first().boundingBox();
        assertThat(pick.height).isGreaterThanOrEqualTo(60);
        assertThat(pick.width).isGreaterThanOrEqualTo(60);
        assertThat(page.getByTestId("hold").textContent()).contains("at most 5 lines");
        assertThat(scrollWidth(page)).isLessThanOrEqualTo(390);
        check(page, "new-line-held-elderly-en");

        page.getByTestId("release").click();
        assertThat(page.getByTestId("hold").count()).isZero();
        assertThat(pool.holdOf(s.customerId(), clock.instant())).isEmpty();
        page.context().close();
    }
}
