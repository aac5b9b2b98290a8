package org.telehall.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.Payments;
import org.telehall.shared.Money;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/** A person asks for an invoice from the payment page, downloads it and reverses it; an integrator does the same through the API. */
class InvoicePagesTest extends HallIntegrationTest {

    @Autowired Payments payments;
    @Autowired Invoices invoices;
    @Autowired TestCustomers testCustomers;

    TestSubscriber s;

    @BeforeEach
    void aSubscriber() {
        s = testCustomers.subscriber("页面开票");
    }

    @Test
    void from_the_payment_page_to_an_invoice_its_pdf_and_its_reversal() throws Exception {
        Payment p = paidTopup(50);
        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);

        assertThat(web.get("/payments/" + p.id()).body()).contains("/invoices/new?payment=" + p.id());
        String form = web.get("/invoices/new?payment=" + p.id()).body();
        assertThat(form).contains("¥50.00").contains("value=\"页面开票\"").contains("统一社会信用代码");

        var refused = web.post("/invoices", Map.of("kind", "TOPUP", "reference", Long.toString(p.id()), "buyerType", "COMPANY",
                "buyerName", "某某科技有限公司", "taxId", "91350100M000100Y44"));
        assertThat(WebSession.location(refused)).endsWith("/invoices/new?payment=" + p.id());
        assertThat(web.get("/invoices/new?payment=" + p.id()).body()).contains("税号不正确").contains("value=\"某某科技有限公司\"");

        var issued = web.post("/invoices", Map.of("kind", "TOPUP", "reference", Long.toString(p.id()), "buyerType", "COMPANY",
                "buyerName", "某某科技有限公司", "taxId", InvoiceTest.COMPANY_CODE));
        String location = WebSession.location(issued);
        assertThat(location).matches(".*/invoices/\\d+");
        long id = Long.parseLong(location.substring(location.lastIndexOf('/') + 1));
        Invoice invoice = invoices.get(s.customerId(), id);
        String page = web.get("/invoices/" + id).body();
        assertThat(page).contains("发票已开具").contains(invoice.number()).contains("某某科技有限公司").contains("¥4.13").contains("9%");
        assertThat(web.get("/invoices").body()).contains(invoice.number());
        // asking again from the payment page leads to the same invoice
        assertThat(WebSession.location(web.get("/invoices/new?payment=" + p.id()))).endsWith("/invoices/" + id);

        HttpResponse<byte[]> pdf = web.getBytes("/invoices/" + id + "/pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/pdf");
        try (PDDocument doc = Loader.loadPDF(pdf.body())) {
            assertThat(new PDFTextStripper().getText(doc)).contains(invoice.number()).contains("伍拾元整");
        }

        web.get("/invoices/" + id);
        var reversed = web.post("/invoices/" + id + "/reversal", Map.of("reason", "抬头有误"));
        String redLocation = WebSession.location(reversed);
        long redId = Long.parseLong(redLocation.substring(redLocation.lastIndexOf('/') + 1));
        assertThat(web.get("/invoices/" + redId).body()).contains("红字电子发票").contains("-¥50.00").contains(invoice.number()).contains("抬头有误");
        assertThat(web.get("/invoices/" + id).body()).contains("已红冲").doesNotContain("data-testid=\"reverse-form\"");

        web.get("/lang?to=en&back=/invoices");
        assertThat(web.get("/invoices/" + id).body()).contains("Reversed").contains("Download PDF invoice");
    }

    @Test
    void another_customer_gets_not_found_for_the_invoice_and_its_pdf() {
        Payment p = paidTopup(30);
        Invoice invoice = invoices.request(s.customerId(), SourceKind.TOPUP, Long.toString(p.id()), Buyer.of(BuyerType.PERSON, "页面开票", null)).invoice();
        WebSession other = new WebSession(baseUrl());
        testCustomers.signIn(other, clock, OTHER_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        assertThat(other.get("/invoices/" + invoice.id()).statusCode()).isEqualTo(404);
        assertThat(other.getBytes("/invoices/" + invoice.id() + "/pdf").statusCode()).isEqualTo(404);
        assertThat(other.get("/invoices/new?payment=" + p.id()).statusCode()).isEqualTo(404);
        assertThat(other.get("/invoices").body()).doesNotContain(invoice.number());
    }

    @Test
    void the_api_issues_once_lists_reverses_and_hides_other_customers_invoices() {
        Payment p = paidTopup(100);
        ApiClient api = new ApiClient(baseUrl());
        String token = api.signIn(clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        Map<String, Object> body = Map.of("source", Map.of("type", "topup", "id", Long.toString(p.id())),
                "buyer", Map.of("type", "company", "name", "某某科技有限公司", "taxId", InvoiceTest.COMPANY_CODE));

        var created = api.post("/api/v1/invoices", body, token);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asString();
        assertThat(created.header("Location")).endsWith("/api/v1/invoices/" + id);
        assertThat(created.json().get("taxIncludedAmount").get("value").decimalValue()).isEqualByComparingTo("100.00");
        assertThat(created.json().get("taxAmount").get("value").decimalValue()).isEqualByComparingTo("8.26");
        assertThat(created.json().get("items").get(0).get("taxRate").decimalValue()).isEqualByComparingTo("0.09");
        assertThat(created.json().get("qrContent").asString()).startsWith("01,32,," + created.json().get("number").asString() + ",100.00,");

        var again = api.post("/api/v1/invoices", body, token);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asString()).isEqualTo(id);

        var bad = api.post("/api/v1/invoices", Map.of("source", Map.of("type", "topup", "id", Long.toString(p.id())),
                "buyer", Map.of("type", "company", "name", "X", "taxId", "123")), token);
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.json().get("code").asString()).isEqualTo("invoicing.error.tax-id");

        var list = api.get("/api/v1/invoices", token);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.header("X-Total-Count")).isEqualTo("1");

        var red = api.post("/api/v1/invoices/" + id + "/reversal", Map.of("reason", "开错了"), token);
        assertThat(red.status()).isEqualTo(201);
        assertThat(red.json().get("kind").asString()).isEqualTo("red");
        assertThat(red.json().get("taxIncludedAmount").get("value").decimalValue()).isEqualByComparingTo("-100.00");
        assertThat(red.json().get("originalInvoice").get("id").asString()).isEqualTo(id);
        assertThat(api.post("/api/v1/invoices/" + id + "/reversal", Map.of(), token).json().get("id").asString())
                .isEqualTo(red.json().get("id").asString());
        assertThat(api.get("/api/v1/invoices/" + id, token).json().get("status").asString()).isEqualTo("reversed");
        assertThat(api.post("/api/v1/invoices/" + red.json().get("id").asString() + "/reversal", Map.of(), token).status()).isEqualTo(422);

        String otherToken = api.signIn(clock, OTHER_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        assertThat(api.get("/api/v1/invoices/" + id, otherToken).status()).isEqualTo(404);
        assertThat(api.post("/api/v1/invoices", body, otherToken).status()).isEqualTo(404);
    }

    Payment paidTopup(long yuan) {
        long userId = jdbc.sql("select id from app_user where username = ?").param(s.msisdn()).query(Long.class).single();
        Payment p = payments.createTopup(new Payments.TopupRequest(s.customerId(), userId, s.msisdn(), Money.ofYuan(yuan),
                PaymentMethod.ALIPAY, "WEB", UUID.randomUUID().toString())).payment();
        var paid = new ApiClient(baseUrl()).post("/sim/alipay/orders/" + p.outTradeNo() + "/pay?notify=never", Map.of(), null);
        assertThat(payments.settle(PaymentMethod.ALIPAY, p.outTradeNo(), paid.json().get("tradeNo").asString(), Money.ofYuan(yuan), "query"))
                .isEqualTo(Payments.Settlement.CREDITED);
        return payments.get(s.customerId(), p.id());
    }
}
