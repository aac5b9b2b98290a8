package org.telehall.customer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.shared.Msisdn;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/** The number picker: search, the htmx result swap, holding a number and giving it back, as a subscriber uses it. */
class NewLinePageTest extends HallIntegrationTest {

    private static final Pattern OFFERED = Pattern.compile("data-msisdn=\"(\\d{11})\"");

    @Autowired TestCustomers testCustomers;
    @Autowired NumberPool pool;

    @Test
    void a_subscriber_searches_holds_a_number_and_sees_the_real_name_form_for_it() {
        TestSubscriber s = testCustomers.subscriber("Picker One");
        WebSession web = signedIn(s);

        HttpResponse<String> page = web.get("/lines/new");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("办理新号码").contains("只看靓号").contains("hx-get=\"/lines/new/numbers\"");
        assertThat(offered(page.body())).isNotEmpty().hasSizeLessThanOrEqualTo(12);

        HttpResponse<String> lucky = web.get("/lines/new/numbers?q=8888&lucky=true");
        assertThat(lucky.body()).doesNotContain("<html").contains("id=\"numbers\"");
        List<String> eights = offered(lucky.body());
        assertThat(eights).isNotEmpty().allSatisfy(n -> assertThat(n).contains("8888"));
        assertThat(lucky.body()).contains("靓号 ¥2000.00");

        String chosen = eights.get(0);
        HttpResponse<String> held = web.post("/lines/new/hold", Map.of("msisdn", chosen));
        assertThat(WebSession.location(held)).endsWith("/lines/new");
        assertThat(heldBy(chosen)).isEqualTo(s.customerId());

        String after = web.get("/lines/new").body();
        NumberHold hold = pool.holdOf(s.customerId(), clock.instant()).orElseThrow();
        String until = DateTimeFormatter.ofPattern("HH:mm").withZone(Customer.ZONE).format(hold.until());
        assertThat(after).contains("为您保留到 " + until)
                .contains(chosen.substring(0, 3) + " " + chosen.substring(3, 7) + " " + chosen.substring(7))
                .contains("action=\"/orders/new-line\"")
                .contains("name=\"msisdn\" value=\"" + chosen + "\"")
                .contains("name=\"name\"").contains("name=\"idNumber\"").contains("name=\"planId\"")
                .contains("value=\"plan-5g-58\"");
        assertThat(offered(web.get("/lines/new/numbers?q=8888&lucky=true").body())).doesNotContain(chosen);

        web.post("/lines/new/release", Map.of("msisdn", chosen));
        assertThat(heldBy(chosen)).isNull();
        assertThat(web.get("/lines/new").body()).contains("号码已释放").doesNotContain("action=\"/orders/new-line\"");
    }

    @Test
    void a_refused_new_line_order_comes_back_to_the_picker_with_the_reason_and_the_number_still_held() {
        TestSubscriber s = testCustomers.subscriber("Picker Refused");
        Msisdn number = new Msisdn("17299990002");
        pool.stock(List.of(number));
        WebSession web = signedIn(s);
        web.get("/lines/new");
        web.post("/lines/new/hold", Map.of("msisdn", number.value()));
        web.get("/lines/new");

        HttpResponse<String> refused = web.post("/orders/new-line", Map.of("msisdn", number.value(), "name", "Picker Refused",
                "idNumber", "110101199003074518", "planId", "plan-5g-58"));

        assertThat(WebSession.location(refused)).endsWith("/lines/new");
        String page = web.get("/lines/new").body();
        assertThat(page).contains("身份证号码不正确").contains("name=\"msisdn\" value=\"" + number.value() + "\"");
        assertThat(heldBy(number.value())).isEqualTo(s.customerId());
    }

    @Test
    void a_number_someone_else_holds_is_refused_with_a_message_and_stays_theirs() {
        TestSubscriber first = testCustomers.subscriber("Picker First");
        TestSubscriber second = testCustomers.subscriber("Picker Second");
        Msisdn number = new Msisdn("17299990001");
        pool.stock(List.of(number));
        pool.hold(first.customerId(), number, clock.instant());
        WebSession web = signedIn(second);

        web.get("/lines/new");
        HttpResponse<String> refused = web.post("/lines/new/hold", Map.of("msisdn", number.value()));
        assertThat(WebSession.location(refused)).endsWith("/lines/new");
        assertThat(web.get("/lines/new").body()).contains("这个号码刚被别人选走了");
        assertThat(heldBy(number.value())).isEqualTo(first.customerId());
        assertThat(pool.holdOf(second.customerId(), clock.instant())).isEmpty();
    }

    @Test
    void letters_in_the_search_get_a_message_in_the_users_language_and_no_numbers() {
        TestSubscriber s = testCustomers.subscriber("Picker Letters");
        WebSession web = signedIn(s);

        HttpResponse<String> zh = web.get("/lines/new/numbers?q=8a8");
        assertThat(zh.statusCode()).isEqualTo(200);
        assertThat(zh.body()).contains("请只输入数字");
        assertThat(offered(zh.body())).isEmpty();

        web.get("/lang?to=en&back=/lines/new");
        String en = web.get("/lines/new?q=8a8").body();
        assertThat(en).contains("Please type digits only").contains("New line").contains("Lucky numbers only");
        assertThat(offered(en)).isEmpty();
    }

    @Test
    void the_my_lines_page_links_to_the_number_picker() {
        TestSubscriber s = testCustomers.subscriber("Picker Lines");
        WebSession web = signedIn(s);
        assertThat(web.get("/lines").body()).contains("href=\"/lines/new\"").contains("办理新号码");
    }

    private WebSession signedIn(TestSubscriber s) {
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        return web;
    }

    private static List<String> offered(String html) {
        Matcher m = OFFERED.matcher(html);
        List<String> numbers = new java.util.ArrayList<>();
        while (m.find()) {
            numbers.add(m.group(1));
        }
        return numbers;
    }

    private Long heldBy(String msisdn) {
        return jdbc.sql("select held_by from number_pool where msisdn = ?").param(msisdn)
                .query((rs, n) -> rs.getObject(1) == null ? null : rs.getLong(1)).list().get(0);
    }
}
