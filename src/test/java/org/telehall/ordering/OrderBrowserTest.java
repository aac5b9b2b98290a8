package org.telehall.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.inventory.Inventory;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.Money;
import org.telehall.support.BrowserTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.usage.Allowances;

/**
 * Business handling as a subscriber does it in a real browser, counting taps and page loads from the
 * home page: buy a data pack, change plan, unsubscribe everything. The counts are written to
 * {@code target/bench/order-taps.properties} for {@code bench/order-taps.sh}.
 */
class OrderBrowserTest extends BrowserTest {

    static final Map<String, String> FIGURES = new LinkedHashMap<>();

    @Autowired TestCustomers testCustomers;
    @Autowired Ledger ledger;
    @Autowired Catalog catalog;
    @Autowired Inventory inventory;
    @Autowired Allowances allowances;

    @AfterAll
    static void writeFigures() throws IOException {
        Path out = Path.of("target", "bench", "order-taps.properties");
        Files.createDirectories(out.getParent());
        StringBuilder sb = new StringBuilder();
        FIGURES.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
        Files.writeString(out, sb.toString());
    }

    @Test
    void buy_a_data_pack_from_home_in_two_taps_plus_the_code_then_see_it_on_the_plan_page_and_the_timeline() {
        TestSubscriber s = subscriber("Browser Pack Buyer");
        Offering pack = catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.PACK && o.dataMb() >= 5 * 1024
                && o.validityDays() != null && o.validityDays() >= 30).findFirst().orElseThrow();
        Page page = browser.phone();
        signIn(page, s);
        Counter count = new Counter(page);

        count.tap(() -> page.locator("nav.quick a[href='/packs']").click());
        assertThat(page.url()).endsWith("/packs");
        count.tap(() -> page.locator("button[data-offering='" + pack.id() + "']").click());
        assertThat(page.url()).contains("/orders/");
        assertThat(page.getByTestId("fee").textContent()).isEqualTo(pack.price().oneTimeFee().display());
        check(page, "order-quote");
        confirmWithCode(page, s, count);
        count.record("buy-data-pack");

        awaitState(page, "COMPLETED");
        assertThat(page.getByTestId("timeline").textContent()).contains("已扣费").contains("网络已开通").contains("办理成功");
        check(page, "order-completed");
        page.navigate(baseUrl() + "/plan");
        assertThat(page.getByTestId("pack").allTextContents()).anySatisfy(t -> assertThat(t).contains(pack.nameZh()));
        page.context().close();
    }

    @Test
    void change_plan_from_home_in_two_taps_plus_the_code_with_the_plans_compared_side_by_side() {
        TestSubscriber s = subscriber("Browser Upgrader");
        Offering small = plan(5800), big = plan(12800);
        givePlan(s, small);
        Page page = browser.phone();
        signIn(page, s);
        Counter count = new Counter(page);

        count.tap(() -> page.locator("nav.quick a[href='/plans/change']").click());
        assertThat(page.getByTestId("plan-option").count()).isGreaterThanOrEqualTo(3);
        assertThat(page.locator("[data-plan='" + small.id() + "']").textContent()).contains("当前套餐");
        check(page, "plans-zh");
        count.tap(() -> page.locator("[data-plan='" + big.id() + "'] [data-testid=upgrade-now]").click());
        assertThat(page.getByTestId("quote").textContent()).contains(big.nameZh()).contains(small.nameZh());
        confirmWithCode(page, s, count);
        count.record("change-plan");
        awaitState(page, "COMPLETED");
        page.navigate(baseUrl() + "/plan");
        assertThat(page.locator("h2").first().textContent()).isEqualTo(big.nameZh());

        // the comparison in English and in elderly mode stays readable and accessible
        page.navigate(baseUrl() + "/lang?to=en&back=/plans/change");
        assertThat(page.locator("h1").textContent()).isEqualTo("Change plan");
        check(page, "plans-en");
        page.navigate(baseUrl() + "/");
        page.getByTestId("elderly-on").click();
        page.navigate(baseUrl() + "/plans/change");
        check(page, "plans-elderly-en");
        page.context().close();
    }

    @Test
    void unsubscribe_every_value_added_service_from_the_one_page() {
        TestSubscriber s = subscriber("Browser Unsubscriber");
        var services = catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.SERVICE).limit(3).toList();
        services.forEach(o -> inventory.add(s.customerId(), s.lineId(), o, clock.instant()));
        Page page = browser.phone();
        signIn(page, s);
        Counter count = new Counter(page);

        count.tap(() -> page.locator("nav.quick a[href='/unsubscribe']").click());
        assertThat(page.getByTestId("recurring").count()).isEqualTo(services.size());
        check(page, "unsubscribe");
        count.tap(() -> page.getByTestId("unsub-all").click());
        assertThat(page.getByTestId("quote").textContent()).contains(services.get(0).nameZh());
        confirmWithCode(page, s, count);
        count.record("unsubscribe-all");
        awaitState(page, "COMPLETED");
        page.navigate(baseUrl() + "/unsubscribe");
        assertThat(page.getByTestId("nothing").isVisible()).isTrue();
        assertThat(inventory.inForce(s.lineId(), clock.instant())).noneMatch(p -> p.kind() == OfferingKind.SERVICE);

        // the line functions and SIM replacement pages sit beside it
        page.navigate(baseUrl() + "/features");
        assertThat(page.getByTestId("feature").count()).isEqualTo(2);
        check(page, "features");
        page.navigate(baseUrl() + "/sim");
        check(page, "sim");
        page.context().close();
    }

    @Test
    void an_agent_orders_at_the_counter_with_the_customers_code() {
        TestSubscriber s = subscriber("Browser Counter Customer");
        Page page = browser.phone();
        page.navigate(baseUrl() + "/login");
        page.locator("#msisdn").fill("agent");
        page.locator("#password").fill("Agent@2026");
        page.getByTestId("login-submit").click();
        page.getByTestId("agent-console").click();
        check(page, "agent-search");
        page.locator("#msisdn").fill(s.msisdn());
        page.getByTestId("lookup").click();
        assertThat(page.getByTestId("agent-balance").textContent()).isEqualTo(ledger.balanceOf(s.customerId()).display());
        check(page, "agent-customer");
        page.getByTestId("agent-add").click();
        assertThat(page.getByTestId("channel").textContent()).contains("agent");
        page.locator("#code").fill(latestCodeSentTo(s.msisdn()));
        page.getByTestId("confirm").click();
        awaitState(page, "COMPLETED");
        check(page, "agent-order");
        page.context().close();
    }

    @Test
    void a_new_line_from_the_number_picker_through_the_code_to_an_active_line() {
        TestSubscriber s = subscriber("Browser New Line");
        Page page = browser.phone();
        signIn(page, s);
        page.navigate(baseUrl() + "/lines/new");
        page.locator("#numbers .pick").first().click();
        String number = page.getByTestId("hold").locator("input[name=msisdn]").first().inputValue();
        page.locator("#nl-name").fill("Browser New Line");
        String first17 = "11010519880214123";
        page.locator("#nl-id").fill(first17 + org.telehall.customer.RealName.checkCharacter(first17));
        page.locator("#nl-plan").selectOption(plan(5800).id());
        page.getByTestId("new-line-form").locator("button[type=submit]").click();

        assertThat(page.getByTestId("new-number").textContent()).isEqualTo(number);
        check(page, "new-line-quote");
        page.locator("#code").fill(latestCodeSentTo(s.msisdn()));
        page.getByTestId("confirm").click();
        awaitState(page, "COMPLETED");
        assertThat(page.getByTestId("timeline").textContent()).contains("新号码已开通");
        page.navigate(baseUrl() + "/lines");
        assertThat(page.locator("main").textContent()).contains(number.substring(0, 3) + "****" + number.substring(7));
        page.context().close();
    }

    /** Taps (clicks that lead somewhere) and page loads from the home page to the confirmed order. */
    static final class Counter {
        final AtomicInteger loads = new AtomicInteger();
        int taps;

        /** Counts from the home page, already loaded: every page load after it is one the task cost. */
        Counter(Page page) {
            page.onLoad(p -> loads.incrementAndGet());
        }

        void tap(Runnable click) {
            taps++;
            click.run();
        }

        void record(String task) {
            // the last tap is the confirmation with the SMS code; the goal is "2 taps + confirmation"
            FIGURES.put(task + ".taps-before-confirmation", String.valueOf(taps - 1));
            FIGURES.put(task + ".page-loads", String.valueOf(loads.get()));
            assertThat(taps - 1).as(task + ": taps from home before the confirmation").isLessThanOrEqualTo(2);
        }
    }

    private void confirmWithCode(Page page, TestSubscriber s, Counter count) {
        page.locator("#code").fill(latestCodeSentTo(s.msisdn()));
        count.tap(() -> page.getByTestId("confirm").click());
        assertThat(page.getByTestId("timeline").getAttribute("data-state")).isNotEqualTo("PENDING");
    }

    /** The order page refreshes its timeline by itself while the network works. */
    private static void awaitState(Page page, String state) {
        page.waitForCondition(() -> state.equals(page.getByTestId("timeline").getAttribute("data-state")),
                new Page.WaitForConditionOptions().setTimeout(30_000));
    }

    private TestSubscriber subscriber(String name) {
        TestSubscriber s = testCustomers.subscriber(name);
        ledger.credit(new Posting(s.customerId(), Money.ofYuan(300), "test-topup-" + UUID.randomUUID(), ReasonCodes.TOPUP, "test top-up"),
                "TOPUP");
        givePlan(s, plan(5800));
        return s;
    }

    private Offering plan(long feeFen) {
        return catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.PLAN && o.price().recurringFee().fen() == feeFen)
                .findFirst().orElseThrow();
    }

    private void givePlan(TestSubscriber s, Offering plan) {
        if (inventory.planOf(s.lineId(), clock.instant()).map(p -> p.offeringId().equals(plan.id())).orElse(false)) {
            return;
        }
        var now = clock.instant();
        var today = java.time.LocalDate.ofInstant(now, org.telehall.customer.Customer.ZONE);
        var start = today.withDayOfMonth(1).atStartOfDay(org.telehall.customer.Customer.ZONE).toInstant();
        var p = inventory.replacePlan(s.customerId(), s.lineId(), plan, start);
        allowances.grantPlanAllowance(s.lineId(), p.id(), plan.id(), plan.dataMb() * 1024, plan.voiceMinutes(), plan.smsCount(), start,
                today.withDayOfMonth(1).plusMonths(1).atStartOfDay(org.telehall.customer.Customer.ZONE).toInstant());
    }

    /** Signed in and on the home page, where the tap counts start. */
    @Override
    protected void signIn(Page page, TestSubscriber s) {
        super.signIn(page, s);
        page.waitForLoadState(com.microsoft.playwright.options.LoadState.LOAD);
        assertThat(page.url()).endsWith("/");
    }
}
