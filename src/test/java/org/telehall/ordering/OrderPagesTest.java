package org.telehall.ordering;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.inventory.Inventory;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/** The ordering pages say what went wrong with the real figures, and list what each page is for. */
class OrderPagesTest extends HallIntegrationTest {

    @Autowired TestCustomers testCustomers;
    @Autowired Catalog catalog;
    @Autowired Inventory inventory;

    @Test
    void asking_for_a_new_code_too_soon_says_how_many_seconds_to_wait() {
        TestSubscriber s = testCustomers.subscriber("Impatient");
        WebSession web = signedIn(s);
        Offering service = catalog.onSale().stream().filter(Offering::isSubscription).findFirst().orElseThrow();
        web.get("/packs");
        String order = WebSession.location(web.post("/orders", Map.of("offering", service.id())));
        web.get(order.replaceFirst("^https?://[^/]+", ""));
        HttpResponse<String> resent = web.post(order.replaceFirst("^https?://[^/]+", "") + "/code/resend", Map.of());
        String page = web.get(WebSession.location(resent).replaceFirst("^https?://[^/]+", "")).body();
        assertThat(page).containsPattern("验证码发送太频繁，请 \\d{1,2} 秒后再试").doesNotContain("{0}");
    }

    @Test
    void line_functions_and_sim_replacement_stay_off_the_shop_and_the_unsubscribe_list() {
        TestSubscriber s = testCustomers.subscriber("Tidy Lists");
        Offering roaming = catalog.onSale().stream().filter(Offering::isLineFunction).findFirst().orElseThrow();
        Offering video = catalog.onSale().stream().filter(Offering::isSubscription).findFirst().orElseThrow();
        inventory.add(s.customerId(), s.lineId(), roaming, clock.instant());
        inventory.add(s.customerId(), s.lineId(), video, clock.instant());
        WebSession web = signedIn(s);
        String shop = web.get("/packs").body();
        assertThat(shop).doesNotContain("data-offering=\"" + roaming.id() + "\"").doesNotContain("svc-sim-replacement");
        String unsubscribe = web.get("/unsubscribe").body();
        assertThat(unsubscribe).contains(video.nameZh()).doesNotContain(roaming.nameZh());
        String features = web.get("/features").body();
        assertThat(features).contains(roaming.nameZh()).contains("已开通");
    }

    private WebSession signedIn(TestSubscriber s) {
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        return web;
    }
}
