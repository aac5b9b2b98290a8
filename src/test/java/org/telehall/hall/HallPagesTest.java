package org.telehall.hall;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.catalog.Catalog;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;
import org.telehall.usage.Allowances;
import org.telehall.usage.UsageQuery;
import org.telehall.usage.UsageRecords;
import org.telehall.usage.UsageType;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.WebSession;

/** Each page shows the signed-in subscriber's own data, as the database holds it, and nobody else's. */
class HallPagesTest extends HallIntegrationTest {

    @Autowired TestCustomers testCustomers;
    @Autowired Customers customers;
    @Autowired Ledger ledger;
    @Autowired Allowances allowances;
    @Autowired UsageRecords usageRecords;
    @Autowired Catalog catalog;
    @Autowired AtAGlance atAGlance;
    @Autowired io.micrometer.core.instrument.MeterRegistry meters;

    WebSession web;
    Line mainLine;

    @BeforeEach
    void signIn() {
        web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, DEMO_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        mainLine = customers.lineByMsisdn(new Msisdn(DEMO_MSISDN)).orElseThrow();
        web.post("/lines/" + mainLine.id() + "/select", Map.of());
    }

    @Test
    void the_home_page_shows_balance_allowances_plan_and_every_quick_action() {
        String home = web.get("/").body();
        assertThat(home).contains("data-testid=\"balance\">" + ledger.balanceOf(mainLine.customerId()).display() + "<");
        var data = allowances.summary(mainLine.id(), clock.instant()).get(UsageType.DATA);
        assertThat(home).contains("已用 " + data.usedVolume().display() + " / 共 " + data.totalVolume().display());
        assertThat(home).contains("5G畅享套餐 128元").contains("月费 ¥128.00");
        for (String link : new String[]{"/topup", "/packs", "/bills", "/unsubscribe", "/service", "/usage", "/balance", "/plan"}) {
            assertThat(home).contains("href=\"" + link + "\"");
        }
        for (String link : new String[]{"/topup", "/packs", "/bills", "/unsubscribe", "/service"}) {
            assertThat(web.get(link).statusCode()).as(link).isEqualTo(200);
        }
    }

    @Test
    void the_home_pages_figures_are_read_on_one_pooled_connection_not_one_per_query() {
        var returned = meters.get("hikaricp.connections.usage").tag("pool", "telehall").timer();
        long before = returned.count();
        for (int i = 0; i < 20; i++) {
            assertThat(atAGlance.of(mainLine.customerId(), null).line()).isNotNull();
        }
        long borrowed = returned.count() - before;
        assertThat(atAGlance.of(mainLine.customerId(), null).balance()).isEqualTo(ledger.balanceOf(mainLine.customerId()));
        // four queries a glance: 80 borrows if each took its own connection (background jobs may add a few)
        assertThat(borrowed).isGreaterThanOrEqualTo(20).isLessThan(40);
    }

    @Test
    void pages_go_through_the_page_queue_and_give_their_permit_back_even_when_they_fail() {
        assertThat(meters.get("telehall.pages.permits").gauge().value())
                .isEqualTo(2.0 * Runtime.getRuntime().availableProcessors());
        assertThat(web.get("/").statusCode()).isEqualTo(200);
        assertThat(web.get("/bills/999999999").statusCode()).isEqualTo(404);
        assertThat(web.get("/no-such-page").statusCode()).isEqualTo(404);
        assertThat(meters.get("telehall.pages.working").gauge().value()).isZero();
        assertThat(meters.get("telehall.pages.turned.away").counter().count()).isZero();
    }

    @Test
    void a_page_is_sent_whole_with_its_length_not_in_chunks() {
        var home = web.get("/");
        assertThat(home.headers().firstValue("Transfer-Encoding")).isEmpty();
        assertThat(home.headers().firstValueAsLong("Content-Length").orElse(-1))
                .isEqualTo(home.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    @Test
    void the_usage_page_lists_this_months_records_with_the_other_party_masked() {
        YearMonth month = YearMonth.now(Clock.system(ZoneId.of("Asia/Shanghai")));
        long voice = usageRecords.count(new UsageQuery(mainLine.id(), month, UsageType.VOICE, 0, 1));
        String page = web.get("/usage?type=VOICE&month=" + month).body();
        assertThat(page).contains("共 " + voice + " 条");
        String fullNumber = jdbc.sql("select other_party from usage_record where line_id = ? and usage_type = 'VOICE' and length(other_party) = 11 limit 1")
                .param(mainLine.id()).query(String.class).single();
        assertThat(page).doesNotContain(fullNumber);
        assertThat(page).containsPattern("1\\d{2}\\*{4}\\d{4}");
    }

    @Test
    void usage_older_than_six_months_is_refused_with_a_clear_message() {
        YearMonth old = YearMonth.now(Clock.system(ZoneId.of("Asia/Shanghai"))).minusMonths(7);
        String page = web.get("/usage?month=" + old).body();
        assertThat(page).contains("只能查询近 6 个月的详单");
        assertThat(web.get("/usage?month=garbage").body()).contains("只能查询近 6 个月的详单");
    }

    @Test
    void the_balance_history_shows_every_movement_with_its_running_balance() {
        String page = web.get("/balance").body();
        var newest = ledger.history(mainLine.customerId(), 0, 1).get(0);
        assertThat(page).contains(newest.balanceAfter().display());
        assertThat(page).contains("套餐月费").contains("充值");
    }

    @Test
    void a_subscriber_switches_lines_and_cannot_select_another_customers_line() {
        Line second = customers.lineByMsisdn(new Msisdn("13800138001")).orElseThrow();
        Line foreign = customers.lineByMsisdn(new Msisdn(OTHER_MSISDN)).orElseThrow();
        web.post("/lines/" + second.id() + "/select", Map.of());
        assertThat(web.get("/").body()).contains("138****8001").contains("长辈关爱套餐 18元");
        var refused = web.post("/lines/" + foreign.id() + "/select", Map.of());
        assertThat(refused.statusCode()).isEqualTo(404);
        assertThat(web.get("/").body()).contains("138****8001").doesNotContain("139****9000");
    }

    @Test
    void the_plan_page_lists_packs_with_expiry_and_services_with_monthly_price() {
        String page = web.get("/plan").body();
        assertThat(page).contains("流量月包 20GB").contains("到期时间");
        assertThat(page).contains("视频会员").contains("¥15.00/月").contains("视频彩铃").contains("¥5.00/月");
    }

    @Test
    void the_parts_that_show_the_same_to_everyone_follow_each_pages_language() {
        String zh = web.get("/").body();
        assertThat(zh).contains("<span>买流量</span>").contains(">资费公示</a>").doesNotContain("same-for-everyone");
        web.get("/lang?to=en&back=/");
        String en = web.get("/").body();
        assertThat(en).contains("<span>Buy data</span>").contains(">Price disclosure</a>").doesNotContain("买流量");
        assertThat(web.get("/plan").body()).contains(">Price disclosure</a>");
        web.get("/lang?to=zh-CN&back=/");
        assertThat(web.get("/").body()).contains("<span>买流量</span>").doesNotContain("Buy data");
    }

    @Test
    void english_is_one_switch_away_and_the_back_link_stays_on_this_site() {
        var switched = web.get("/lang?to=en&back=/plan");
        assertThat(WebSession.location(switched)).endsWith("/plan");
        assertThat(web.get("/plan").body()).contains("My plan").contains("5G Plus 128");
        assertThat(WebSession.location(web.get("/lang?to=zh-CN&back=//evil.example/"))).doesNotContain("evil");
        assertThat(web.get("/plan").body()).contains("我的套餐");
    }

    @Test
    void the_price_disclosure_lists_exactly_what_is_on_sale_and_only_that_can_be_ordered() {
        WebSession anonymous = new WebSession(baseUrl());
        String page = anonymous.get("/tariffs").body();
        for (var offering : catalog.onSale()) {
            assertThat(page).contains("data-offering=\"" + offering.id() + "\"");
        }
        jdbc.sql("update catalog_offering set on_sale = false where id = 'pack-roam-world-day'").update();
        try {
            assertThat(anonymous.get("/tariffs").body()).doesNotContain("pack-roam-world-day");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> catalog.orderable("pack-roam-world-day"))
                    .isInstanceOf(NotFoundException.class);
        } finally {
            jdbc.sql("update catalog_offering set on_sale = true where id = 'pack-roam-world-day'").update();
        }
    }
}
