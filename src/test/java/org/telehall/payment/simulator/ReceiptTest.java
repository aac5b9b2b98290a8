package org.telehall.payment.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.Payments;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;
import org.telehall.support.WebSession;

/** The receipt (PDF) of a credited payment: for its payer only, in their language, linked from the payment page and history. */
class ReceiptTest extends HallIntegrationTest {

    @Autowired Payments payments;
    @Autowired TestCustomers testCustomers;
    @Autowired SimulatorNotifier notifier;
    @Autowired @Qualifier("alipaySimulator") SimulatedProvider alipay;

    @Test
    void the_payer_downloads_the_receipt_of_a_credited_top_up_in_chinese_and_in_english() throws Exception {
        TestSubscriber s = testCustomers.subscriber("回执用户");
        Payment p = payments.createTopup(request(s, s.msisdn(), Money.ofYuan(50))).payment();
        SimulatedProvider.Trade trade = alipay.pay(p.outTradeNo()).orElseThrow();
        assertThat(notifier.post("alipay", alipay.notification(trade))).isEqualTo("success");
        String masked = new Msisdn(s.msisdn()).masked();

        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        String page = web.get("/payments/" + p.id()).body();
        assertThat(page).contains("/payments/" + p.id() + "/receipt.pdf").contains("下载回执");
        assertThat(web.get("/payments").body()).contains("/payments/" + p.id() + "/receipt.pdf");

        HttpResponse<byte[]> pdf = web.getBytes("/payments/" + p.id() + "/receipt.pdf");
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type").orElseThrow()).isEqualTo("application/pdf");
        assertThat(pdf.headers().firstValue("Content-Disposition").orElseThrow()).contains("receipt-" + p.outTradeNo() + ".pdf");
        String text = text(pdf.body());
        assertThat(text).contains("充值回执").contains("¥50.00").contains(masked).doesNotContain(s.msisdn())
                .contains("支付宝").contains(p.outTradeNo()).contains(trade.tradeNo()).contains("到账后余额").contains("已到账");
        assertThat(text.replaceAll("\\s+", " ")).contains("到账后余额 ¥50.00");

        web.get("/lang?to=en&back=/payments");
        String english = text(web.getBytes("/payments/" + p.id() + "/receipt.pdf").body());
        assertThat(english).contains("Top-up receipt").contains("Alipay").contains("Balance after the top-up").contains(trade.tradeNo())
                .doesNotContain("充值回执");
    }

    @Test
    void another_customer_gets_not_found_and_a_payment_not_yet_credited_has_no_receipt() {
        TestSubscriber s = testCustomers.subscriber("未到账回执");
        Payment pending = payments.createTopup(request(s, s.msisdn(), Money.ofYuan(30))).payment();
        Payment paid = payments.createTopup(request(s, s.msisdn(), Money.ofYuan(100))).payment();
        notifier.post("alipay", alipay.notification(alipay.pay(paid.outTradeNo()).orElseThrow()));

        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, s.msisdn(), s.password(), this::latestCodeSentTo);
        HttpResponse<byte[]> none = web.getBytes("/payments/" + pending.id() + "/receipt.pdf");
        assertThat(none.statusCode()).isEqualTo(302);
        assertThat(none.headers().firstValue("Location").orElseThrow()).endsWith("/payments/" + pending.id());
        assertThat(web.get("/payments/" + pending.id()).body()).doesNotContain("receipt.pdf");

        WebSession other = new WebSession(baseUrl());
        testCustomers.signIn(other, clock, OTHER_MSISDN, DEMO_PASSWORD, this::latestCodeSentTo);
        assertThat(other.getBytes("/payments/" + paid.id() + "/receipt.pdf").statusCode()).isEqualTo(404);
        assertThat(new WebSession(baseUrl()).getBytes("/payments/" + paid.id() + "/receipt.pdf").statusCode())
                .as("not signed in: to the login page").isEqualTo(302);
    }

    @Test
    void a_receipt_for_someone_elses_line_does_not_show_their_balance() throws Exception {
        TestSubscriber payer = testCustomers.subscriber("代充回执");
        TestSubscriber holder = testCustomers.subscriber("被充值人");
        Payment p = payments.createTopup(request(payer, holder.msisdn(), Money.ofYuan(30))).payment();
        notifier.post("alipay", alipay.notification(alipay.pay(p.outTradeNo()).orElseThrow()));

        WebSession web = new WebSession(baseUrl());
        testCustomers.signIn(web, clock, payer.msisdn(), payer.password(), this::latestCodeSentTo);
        String text = text(web.getBytes("/payments/" + p.id() + "/receipt.pdf").body());
        assertThat(text).contains("¥30.00").contains(new Msisdn(holder.msisdn()).masked()).doesNotContain("到账后余额");
    }

    private static String text(byte[] pdf) throws Exception {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFTextStripper().getText(doc);
        }
    }

    private Payments.TopupRequest request(TestSubscriber payer, String msisdn, Money amount) {
        long userId = jdbc.sql("select id from app_user where username = ?").param(payer.msisdn()).query(Long.class).single();
        return new Payments.TopupRequest(payer.customerId(), userId, msisdn, amount, PaymentMethod.ALIPAY, "WEB", UUID.randomUUID().toString());
    }
}
