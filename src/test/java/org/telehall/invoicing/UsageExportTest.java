package org.telehall.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.customer.Customer;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestLines;
import org.telehall.support.WebSession;
import org.telehall.usage.Rating;
import org.telehall.usage.UsageSubmission;

/** The 详单 as a file: the rows of the month, the other party masked as on the page, only one's own lines, only the last 6 months. */
class UsageExportTest extends HallIntegrationTest {

    @Autowired TestCustomers testCustomers;
    @Autowired TestLines testLines;
    @Autowired Rating rating;

    TestCustomers.TestSubscriber s;
    YearMonth month;

    @BeforeEach
    void aSubscriberWithThreeRecordsThisMonth() {
        s = testCustomers.subscriber("导出测试");
        Instant now = clock.instant();
        testLines.plan(s, "plan-5g-58", 1_000_000, 300, 100, now);
        String tag = s.msisdn() + "-" + now.toEpochMilli();
        rating.rate(List.of(
                new UsageSubmission("exp-v-" + tag, s.msisdn(), "voice", "out", now.minusSeconds(300).toString(), "13912345678",
                        BigDecimal.valueOf(125), "s", null),
                new UsageSubmission("exp-s-" + tag, s.msisdn(), "sms", "out", now.minusSeconds(200).toString(), "13698765432",
                        BigDecimal.ONE, "", null),
                new UsageSubmission("exp-d-" + tag, s.msisdn(), "data", null, now.minusSeconds(100).toString(), null,
                        BigDecimal.valueOf(2048), "KB", null)));
        month = YearMonth.from(now.minusSeconds(300).atZone(Customer.ZONE));
    }

    @Test
    void the_csv_has_a_byte_order_mark_a_header_and_one_row_per_record_with_the_other_party_masked() throws IOException {
        WebSession web = signedIn();
        String page = web.get("/usage?month=" + month).body();
        assertThat(page).contains("/usage/export?month=" + month + "&amp;format=csv").contains("/usage/export?month=" + month + "&amp;format=pdf");

        HttpResponse<byte[]> file = download(web, "/usage/export?month=" + month + "&format=csv");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
        assertThat(file.headers().firstValue("Content-Disposition").orElseThrow()).contains("usage-" + s.msisdn() + "-" + month + ".csv");
        byte[] bytes = file.body();
        assertThat(Arrays.copyOf(bytes, 3)).containsExactly(0xEF, 0xBB, 0xBF);
        String text = new String(bytes, 3, bytes.length - 3, StandardCharsets.UTF_8);
        assertThat(text).doesNotContain("13912345678").doesNotContain("13698765432");

        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(new StringReader(text)).getRecords();
        assertThat(rows).hasSize(3);
        assertThat(rows.get(0).get("对方号码")).isEqualTo("139****5678");
        assertThat(rows.get(0).get("类型")).isEqualTo("通话");
        assertThat(rows.get(0).get("时长/流量")).isEqualTo("2分5秒");
        assertThat(rows.get(1).get("对方号码")).isEqualTo("136****5432");
        assertThat(rows.get(2).get("对方号码")).isEqualTo("—");
        assertThat(rows.get(2).get("类型")).isEqualTo("上网");
        assertThat(rows).allSatisfy(r -> assertThat(r.get("费用(元)")).isEqualTo("0.00"));
    }

    @Test
    void the_pdf_reads_back_with_the_chinese_the_masked_numbers_and_the_total() throws IOException {
        WebSession web = signedIn();
        HttpResponse<byte[]> file = download(web, "/usage/export?month=" + month + "&format=pdf");
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/pdf");
        // the font is embedded as a subset: a 4 MB font must not make a 3-row statement big
        assertThat(file.body().length).isLessThan(100_000);
        try (PDDocument pdf = Loader.loadPDF(file.body())) {
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("通信详单 " + month).contains("170****" + s.msisdn().substring(7));
            assertThat(text).contains("139****5678").contains("136****5432").doesNotContain("13912345678");
            assertThat(text).contains("共 3 条，费用合计 ¥0.00").contains("第 1 页 / 共 1 页");
        }
    }

    @Test
    void a_month_older_than_six_is_refused_on_the_usage_page_with_a_message() {
        WebSession web = signedIn();
        YearMonth old = month.minusMonths(6);
        var refused = web.get("/usage/export?month=" + old + "&format=csv");
        assertThat(refused.statusCode()).isEqualTo(302);
        assertThat(WebSession.location(refused)).endsWith("/usage");
        assertThat(web.get("/usage").body()).contains("只能导出近 6 个月（" + month.minusMonths(5) + " 至 " + month + "）的详单");
    }

    @Test
    void the_api_exports_only_the_callers_own_lines_and_months_within_reach() throws IOException {
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);

        HttpResponse<byte[]> own = apiDownload(token, "/api/v1/usage-exports?msisdn=" + s.msisdn() + "&month=" + month + "&format=pdf");
        assertThat(own.statusCode()).isEqualTo(200);
        try (PDDocument pdf = Loader.loadPDF(own.body())) {
            assertThat(new PDFTextStripper().getText(pdf)).contains("139****5678");
        }
        HttpResponse<byte[]> csv = apiDownload(token, "/api/v1/usage-exports?month=" + month);
        assertThat(new String(csv.body(), StandardCharsets.UTF_8).lines().count()).isEqualTo(4);

        assertThat(api.get("/api/v1/usage-exports?msisdn=" + DEMO_MSISDN + "&month=" + month, token).status()).isEqualTo(404);
        var old = api.get("/api/v1/usage-exports?month=" + month.minusMonths(6), token);
        assertThat(old.status()).isEqualTo(422);
        assertThat(old.json().get("code").asString()).isEqualTo("invoicing.export.error.month");
        assertThat(api.get("/api/v1/usage-exports?month=" + month + "&format=xls", token).status()).isEqualTo(400);
        assertThat(api.get("/api/v1/usage-exports?month=" + month, null).status()).isEqualTo(401);
    }

    @Test
    void the_demo_subscribers_busy_month_runs_over_several_pages_each_numbered() throws IOException {
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, DEMO_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        YearMonth last = month.minusMonths(1);
        HttpResponse<byte[]> file = download(web, "/usage/export?month=" + last + "&format=pdf");
        assertThat(file.statusCode()).isEqualTo(200);
        java.nio.file.Path saved = java.nio.file.Path.of("target", "exports", "usage-demo-" + last + ".pdf");
        java.nio.file.Files.createDirectories(saved.getParent());
        java.nio.file.Files.write(saved, file.body());
        try (PDDocument pdf = Loader.loadPDF(file.body())) {
            int pages = pdf.getNumberOfPages();
            assertThat(pages).isGreaterThan(1);
            String text = new PDFTextStripper().getText(pdf);
            assertThat(text).contains("第 " + pages + " 页 / 共 " + pages + " 页");
            assertThat(text).doesNotContainPattern("(?<!\\d)1[3-9]\\d{9}(?!\\d)");
        }
    }

    @Test
    void the_english_export_speaks_english() throws IOException {
        WebSession web = signedIn();
        web.get("/lang?to=en&back=/usage");
        HttpResponse<byte[]> file = download(web, "/usage/export?month=" + month + "&format=csv");
        String text = new String(file.body(), StandardCharsets.UTF_8);
        assertThat(text).contains("Time,Type,Direction,Other party,Duration/volume,Roaming,Charge (CNY)").contains("139****5678");
    }

    private WebSession signedIn() {
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        return web;
    }

    private HttpResponse<byte[]> download(WebSession web, String path) {
        return web.getBytes(path);
    }

    private HttpResponse<byte[]> apiDownload(String token, String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + token).GET().build();
            return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
