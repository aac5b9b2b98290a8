package org.telehall.invoicing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import java.awt.image.BufferedImage;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataAccessException;
import org.telehall.customer.Customer;
import org.telehall.payment.Payment;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.Payments;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;

/** E-invoices for top-ups: one per payment, tax at 9 %, immutable down to the database, cancelled only by a red-letter invoice. */
class InvoiceTest extends HallIntegrationTest {

    static final String COMPANY_CODE = "91350100M000100Y43";

    @Autowired Invoices invoices;
    @Autowired Payments payments;
    @Autowired TestCustomers testCustomers;

    TestSubscriber s;

    @BeforeEach
    void aSubscriber() {
        s = testCustomers.subscriber("开票人");
    }

    @Test
    void a_paid_top_up_is_invoiced_once_at_9_percent_and_a_second_request_returns_the_same_invoice() {
        Payment p = paidTopup(s, 50);
        // recorded by the settlement's own transaction: invoiceable as soon as the credit is answered, and no event
        // publication (nor a second transaction) for it, nor for billing's check of a prepaid payer with no open bill
        assertThat(invoices.invoiceable(s.customerId())).extracting(InvoiceSource::reference).contains(Long.toString(p.id()));
        assertThat(jdbc.sql("select count(*) from event_publication where serialized_event like ? or serialized_event like ?")
                .params("%\"paymentId\":" + p.id() + ",%", "%\"customerId\":" + s.customerId() + "}%").query(Long.class).single())
                .isZero();

        Invoices.Issued first = invoices.request(s.customerId(), SourceKind.TOPUP, Long.toString(p.id()), Buyer.of(BuyerType.PERSON, "开票人", null));
        Invoice invoice = first.invoice();
        assertThat(first.existing()).isFalse();
        assertThat(invoice.number()).matches(YearMonth.now(clock.withZone(Customer.ZONE)).getYear() + "\\d{12}");
        assertThat(invoice.total()).isEqualTo(Money.ofYuan(50));
        assertThat(invoice.net()).isEqualTo(Money.ofFen(4587));
        assertThat(invoice.tax()).isEqualTo(Money.ofFen(413));
        assertThat(invoice.items()).singleElement().satisfies(i -> {
            assertThat(i.name()).isEqualTo("*电信服务*话费充值");
            assertThat(i.taxRateDisplay()).isEqualTo("9%");
        });
        assertThat(invoice.sellerName()).isEqualTo("天汇移动通信有限公司");
        assertThat(invoice.checkCode()).matches("\\d{20}");
        assertThat(invoice.qrContent()).isEqualTo("01,32,," + invoice.number() + ",50.00,"
                + java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd").format(invoice.issuedAt().atZone(Customer.ZONE)) + "," + invoice.checkCode());

        Invoices.Issued again = invoices.request(s.customerId(), SourceKind.TOPUP, Long.toString(p.id()),
                Buyer.of(BuyerType.COMPANY, "别的公司", COMPANY_CODE));
        assertThat(again.existing()).isTrue();
        assertThat(again.invoice().id()).isEqualTo(invoice.id());
        assertThat(again.invoice().buyer().name()).isEqualTo("开票人");
        assertThat(invoices.forSource(s.customerId(), SourceKind.TOPUP, Long.toString(p.id()))).hasSize(1);
        assertThat(invoices.invoiceable(s.customerId())).extracting(InvoiceSource::reference).doesNotContain(Long.toString(p.id()));
    }

    @Test
    void concurrent_requests_for_one_top_up_issue_exactly_one_invoice() throws Exception {
        Payment p = paidTopup(s, 30);
        int threads = 6;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Long>> ids = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                ids.add(pool.submit(() -> {
                    start.await();
                    return invoices.request(s.customerId(), SourceKind.TOPUP, Long.toString(p.id()),
                            Buyer.of(BuyerType.PERSON, "开票人", null)).invoice().id();
                }));
            }
            start.countDown();
            List<Long> issued = new ArrayList<>();
            for (Future<Long> f : ids) {
                issued.add(f.get());
            }
            assertThat(issued).containsOnly(issued.get(0));
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("select count(*) from invoice where source_kind = 'TOPUP' and source_reference = ?")
                .param(Long.toString(p.id())).query(Long.class).single()).isEqualTo(1);
    }

    @Test
    void a_company_must_give_a_unified_social_credit_code_whose_check_character_is_right() {
        Payment p = paidTopup(s, 100);
        String ref = Long.toString(p.id());
        assertThatThrownBy(() -> invoices.request(s.customerId(), SourceKind.TOPUP, ref, Buyer.of(BuyerType.COMPANY, "某某科技有限公司", "91350100M000100Y44")))
                .isInstanceOf(BusinessRuleException.class).hasFieldOrPropertyWithValue("code", "invoicing.error.tax-id");
        assertThatThrownBy(() -> invoices.request(s.customerId(), SourceKind.TOPUP, ref, Buyer.of(BuyerType.COMPANY, "某某科技有限公司", "")))
                .hasFieldOrPropertyWithValue("code", "invoicing.error.tax-id");
        assertThatThrownBy(() -> invoices.request(s.customerId(), SourceKind.TOPUP, ref, Buyer.of(BuyerType.PERSON, "  ", null)))
                .hasFieldOrPropertyWithValue("code", "invoicing.error.buyer-name");
        assertThat(invoices.live(SourceKind.TOPUP, ref)).isEmpty();

        Invoice invoice = invoices.request(s.customerId(), SourceKind.TOPUP, ref,
                Buyer.of(BuyerType.COMPANY, "某某科技有限公司", " 91350100m000100y43 ")).invoice();
        assertThat(invoice.buyer().taxId()).isEqualTo(COMPANY_CODE);
        assertThat(invoice.buyer().type()).isEqualTo(BuyerType.COMPANY);
    }

    @Test
    void a_red_letter_reversal_negates_the_invoice_names_the_original_and_allows_a_corrected_one() {
        Payment p = paidTopup(s, 50);
        String ref = Long.toString(p.id());
        Invoice blue = invoices.request(s.customerId(), SourceKind.TOPUP, ref, Buyer.of(BuyerType.PERSON, "写错的名字", null)).invoice();

        Invoice red = invoices.reverse(s.customerId(), blue.id(), "抬头有误");
        assertThat(red.kind()).isEqualTo(InvoiceKind.RED);
        assertThat(red.number()).isNotEqualTo(blue.number());
        assertThat(red.total()).isEqualTo(Money.ofYuan(-50));
        assertThat(red.net()).isEqualTo(Money.ofFen(-4587));
        assertThat(red.tax()).isEqualTo(Money.ofFen(-413));
        assertThat(red.items()).singleElement().satisfies(i -> assertThat(i.total()).isEqualTo(Money.ofYuan(-50)));
        assertThat(red.originalId()).isEqualTo(blue.id());
        assertThat(red.originalNumber()).isEqualTo(blue.number());
        assertThat(red.reason()).isEqualTo("抬头有误");
        assertThat(red.buyer()).isEqualTo(blue.buyer());

        Invoice reversed = invoices.get(s.customerId(), blue.id());
        assertThat(reversed.status()).isEqualTo(InvoiceStatus.REVERSED);
        assertThat(reversed.reversedById()).isEqualTo(red.id());
        assertThat(reversed.reversedByNumber()).isEqualTo(red.number());
        assertThat(reversed.total()).isEqualTo(blue.total());

        assertThat(invoices.reverse(s.customerId(), blue.id(), "again").id()).isEqualTo(red.id());
        assertThatThrownBy(() -> invoices.reverse(s.customerId(), red.id(), "red of red"))
                .hasFieldOrPropertyWithValue("code", "invoicing.error.red");

        assertThat(invoices.invoiceable(s.customerId())).extracting(InvoiceSource::reference).contains(ref);
        Invoices.Issued corrected = invoices.request(s.customerId(), SourceKind.TOPUP, ref, Buyer.of(BuyerType.PERSON, "开票人", null));
        assertThat(corrected.existing()).isFalse();
        assertThat(corrected.invoice().id()).isNotIn(blue.id(), red.id());
        assertThat(invoices.forSource(s.customerId(), SourceKind.TOPUP, ref)).extracting(Invoice::kind, Invoice::status)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(InvoiceKind.BLUE, InvoiceStatus.REVERSED),
                        org.assertj.core.groups.Tuple.tuple(InvoiceKind.RED, InvoiceStatus.ISSUED),
                        org.assertj.core.groups.Tuple.tuple(InvoiceKind.BLUE, InvoiceStatus.ISSUED));
    }

    @Test
    void an_issued_invoice_cannot_be_changed_or_deleted_even_straight_in_the_database() {
        Payment p = paidTopup(s, 50);
        Invoice invoice = invoices.request(s.customerId(), SourceKind.TOPUP, Long.toString(p.id()), Buyer.of(BuyerType.PERSON, "开票人", null)).invoice();

        assertThatThrownBy(() -> jdbc.sql("update invoice set buyer_name = '改名' where id = ?").param(invoice.id()).update())
                .isInstanceOf(DataAccessException.class).hasMessageContaining("cannot be changed");
        assertThatThrownBy(() -> jdbc.sql("update invoice set total_fen = 1, net_fen = 1, tax_fen = 0 where id = ?").param(invoice.id()).update())
                .isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> jdbc.sql("update invoice set status = 'REVERSED' where id = ?").param(invoice.id()).update())
                .isInstanceOf(DataAccessException.class);
        assertThatThrownBy(() -> jdbc.sql("delete from invoice where id = ?").param(invoice.id()).update())
                .isInstanceOf(DataAccessException.class).hasMessageContaining("cannot be deleted");
        assertThatThrownBy(() -> jdbc.sql("update invoice_item set total_fen = 1 where invoice_id = ?").param(invoice.id()).update())
                .isInstanceOf(DataAccessException.class);
        assertThat(invoices.get(s.customerId(), invoice.id())).isEqualTo(invoice);
    }

    @Test
    void the_pdf_shows_the_invoice_and_its_qr_code_carries_number_amount_date_and_check_code() throws Exception {
        Payment p = paidTopup(s, 50);
        Invoice invoice = invoices.request(s.customerId(), SourceKind.TOPUP, Long.toString(p.id()),
                Buyer.of(BuyerType.COMPANY, "某某科技有限公司", COMPANY_CODE)).invoice();
        byte[] pdf = invoices.pdf(s.customerId(), invoice.id());
        java.nio.file.Path saved = java.nio.file.Path.of("target", "exports", "invoice-" + invoice.number() + ".pdf");
        java.nio.file.Files.createDirectories(saved.getParent());
        java.nio.file.Files.write(saved, pdf);
        assertThat(pdf.length).isLessThan(60_000);
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("电子发票（普通发票）").contains(invoice.number()).contains(invoice.checkCode())
                    .contains("某某科技有限公司").contains(COMPANY_CODE).contains("天汇移动通信有限公司")
                    .contains("*电信服务*话费充值").contains("9%").contains("45.87").contains("4.13")
                    .contains("伍拾元整").contains("¥50.00").contains("TH" + p.id());
            BufferedImage page = new PDFRenderer(doc).renderImageWithDPI(0, 150);
            String qr = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(page))),
                    Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
            assertThat(qr).isEqualTo(invoice.qrContent());
            assertThat(qr.split(",", -1)).containsExactly("01", "32", "", invoice.number(), "50.00",
                    java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd").format(invoice.issuedAt().atZone(Customer.ZONE)), invoice.checkCode());
        }
        Invoice red = invoices.reverse(s.customerId(), invoice.id(), "抬头有误");
        try (PDDocument doc = Loader.loadPDF(invoices.pdf(s.customerId(), red.id()))) {
            String text = new PDFTextStripper().getText(doc);
            assertThat(text).contains("红字").contains("被红冲蓝字发票号码：" + invoice.number()).contains("负伍拾元整").contains("-¥50.00")
                    .contains("红冲原因：抬头有误");
        }
    }

    @Test
    void a_refunded_top_up_has_its_invoice_reversed_and_cannot_be_invoiced_again() {
        Payment p = paidTopup(s, 50);
        String ref = Long.toString(p.id());
        Invoice blue = invoices.request(s.customerId(), SourceKind.TOPUP, ref, Buyer.of(BuyerType.PERSON, "开票人", null)).invoice();

        payments.refund(p.id(), "agent", "充错号码");

        eventually(() -> invoices.get(s.customerId(), blue.id()).status() == InvoiceStatus.REVERSED);
        Invoice after = invoices.get(s.customerId(), blue.id());
        assertThat(after.status()).isEqualTo(InvoiceStatus.REVERSED);
        Invoice red = invoices.get(s.customerId(), after.reversedById());
        assertThat(red.total()).isEqualTo(Money.ofYuan(-50));
        assertThat(red.reason()).contains("RF" + p.id());
        assertThat(invoices.invoiceable(s.customerId())).extracting(InvoiceSource::reference).doesNotContain(ref);
        assertThatThrownBy(() -> invoices.request(s.customerId(), SourceKind.TOPUP, ref, Buyer.of(BuyerType.PERSON, "开票人", null)))
                .hasFieldOrPropertyWithValue("code", "invoicing.error.withdrawn");
    }

    @Test
    void only_the_payer_invoices_a_top_up_and_sees_the_invoice_and_an_unpaid_one_is_refused() {
        Payment p = paidTopup(s, 50);
        TestSubscriber other = testCustomers.subscriber("别人");
        assertThatThrownBy(() -> invoices.request(other.customerId(), SourceKind.TOPUP, Long.toString(p.id()), Buyer.of(BuyerType.PERSON, "别人", null)))
                .isInstanceOf(NotFoundException.class);
        Invoice mine = invoices.request(s.customerId(), SourceKind.TOPUP, Long.toString(p.id()), Buyer.of(BuyerType.PERSON, "开票人", null)).invoice();
        assertThatThrownBy(() -> invoices.get(other.customerId(), mine.id())).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> invoices.reverse(other.customerId(), mine.id(), "x")).isInstanceOf(NotFoundException.class);
        assertThat(invoices.get(s.customerId(), mine.id()).status()).isEqualTo(InvoiceStatus.ISSUED);

        Payment unpaid = payments.createTopup(new Payments.TopupRequest(s.customerId(), userIdOf(s), s.msisdn(), Money.ofYuan(20),
                PaymentMethod.ALIPAY, "WEB", UUID.randomUUID().toString())).payment();
        assertThatThrownBy(() -> invoices.request(s.customerId(), SourceKind.TOPUP, Long.toString(unpaid.id()), Buyer.of(BuyerType.PERSON, "开票人", null)))
                .hasFieldOrPropertyWithValue("code", "invoicing.error.unpaid");
    }

    /** A top-up paid at the simulated Alipay and settled (the ledger credited, PaymentSettled published). */
    Payment paidTopup(TestSubscriber payer, long yuan) {
        Payment p = payments.createTopup(new Payments.TopupRequest(payer.customerId(), userIdOf(payer), payer.msisdn(), Money.ofYuan(yuan),
                PaymentMethod.ALIPAY, "WEB", UUID.randomUUID().toString())).payment();
        // the buyer pays at the simulated Alipay; its notification is left out and the order query settles it here
        var paid = new ApiClient(baseUrl()).post("/sim/alipay/orders/" + p.outTradeNo() + "/pay?notify=never", Map.of(), null);
        assertThat(paid.status()).isEqualTo(200);
        assertThat(payments.settle(PaymentMethod.ALIPAY, p.outTradeNo(), paid.json().get("tradeNo").asString(), Money.ofYuan(yuan), "query"))
                .isEqualTo(Payments.Settlement.CREDITED);
        return payments.get(payer.customerId(), p.id());
    }

    /** Waits (at most 10 s) for what an after-commit event listener does. */
    static void eventually(java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not done within 10 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    long userIdOf(TestSubscriber subscriber) {
        return jdbc.sql("select id from app_user where username = ?").param(subscriber.msisdn()).query(Long.class).single();
    }
}
