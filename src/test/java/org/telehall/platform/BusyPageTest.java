package org.telehall.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;
import org.telehall.support.HallIntegrationTest;

/**
 * A page turned away by {@link PageAdmission} (here: no page may wait at all, so every page read is turned
 * away) gets the hall's calm busy page in the visitor's language, with {@code Retry-After}; API calls
 * are not held back by the page queue (an API client wants problem details, not a page).
 */
@TestPropertySource(properties = {"telehall.web.page-admission.permits=1", "telehall.web.page-admission.max-waiting=0"})
class BusyPageTest extends HallIntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_page_turned_away_says_busy_in_chinese_by_default_and_in_english_when_asked() throws Exception {
        HttpResponse<String> zh = get("/tariffs", "zh-CN", "");
        assertThat(zh.statusCode()).isEqualTo(503);
        assertThat(zh.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(zh.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
        assertThat(zh.body()).contains("访问人数较多").contains("您的账户和付款都不受影响");

        HttpResponse<String> en = get("/tariffs", "en", "lang=en");
        assertThat(en.statusCode()).isEqualTo(503);
        assertThat(en.body()).contains("Busy right now").contains("your account and payments are not affected");
    }

    @Test
    void api_reads_are_not_held_back_by_the_page_queue() throws Exception {
        // answered by the API itself (401 without a token), not turned away as a page
        for (String path : List.of("/tmf-api/productCatalogManagement/v4/productOffering", "/api/v1/payments",
                "/v3/api-docs")) {
            assertThat(get(path, "zh-CN", "").statusCode()).as(path).isNotEqualTo(503);
        }
    }

    private HttpResponse<String> get(String path, String language, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Accept", "text/html")
                .header("Accept-Language", language).GET();
        if (!cookie.isEmpty()) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
