package org.telehall.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.MultiFormatReader;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.telehall.customer.Customers;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;
import org.telehall.support.BrowserTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestCustomers.TestSubscriber;

/** The demo subscriber tops up 50 yuan from the home page with the Alipay-style simulator, sees the money arrive and downloads the receipt. */
class PaymentBrowserTest extends BrowserTest {

    @Autowired Ledger ledger;
    @Autowired Customers customers;
    @Autowired TestCustomers testCustomers;
    @Autowired AutoTopups autoTopups;

    @Test
    void the_demo_subscriber_tops_up_fifty_yuan_and_sees_the_new_balance_and_downloads_the_receipt() throws Exception {
        long customerId = customers.lineByMsisdn(new Msisdn(DEMO_MSISDN)).orElseThrow().customerId();
        Money before = ledger.balanceOf(customerId);
        Page page = browser.phone();
        signIn(page);

        page.locator("nav.quick a[href='/topup']").click();
        assertThat(page.locator("#msisdn").inputValue()).isEqualTo(DEMO_MSISDN);
        page.getByTestId("amount-50").check();
        page.getByTestId("method-alipay").check();
        check(page, "topup");
        page.getByTestId("topup-submit").click();

        assertThat(page.url()).contains("/sim/alipay/pay/");
        assertThat(page.getByTestId("sim-amount").textContent()).isEqualTo("¥50.00");
        check(page, "topup-simulated-alipay");
        page.getByTestId("sim-pay").click();

        assertThat(page.url()).contains("/payments/");
        page.waitForCondition(() -> "PAID".equals(page.getByTestId("payment-status").getAttribute("data-status")),
                new Page.WaitForConditionOptions().setTimeout(30_000));
        Money after = before.plus(Money.ofYuan(50));
        assertThat(page.getByTestId("new-balance").textContent()).isEqualTo(after.display());
        assertThat(page.getByTestId("receipt").textContent()).contains("¥50.00").contains("138****8000");
        assertThat(page.getByTestId("number").textContent()).isEqualTo("138****8000");
        check(page, "topup-paid");
        assertThat(ledger.balanceOf(customerId)).isEqualTo(after);

        // the receipt from the result page: amount, masked line, method, the provider's trade number, the new balance
        String orderNo = page.getByTestId("order-no").textContent();
        Download receipt = page.waitForDownload(() -> page.getByTestId("receipt-link").click());
        assertThat(receipt.suggestedFilename()).isEqualTo("receipt-" + orderNo + ".pdf");
        receipt.saveAs(Paths.get("target", "screenshots", "receipt.pdf"));
        String tradeNo = jdbc.sql("select provider_trade_no from payment_order where id = ?").param(Long.parseLong(orderNo.substring(2)))
                .query(String.class).single();
        try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(receipt.path()))) {
            assertThat(new PDFTextStripper().getText(pdf).replaceAll("\\s+", " ")).contains("充值回执").contains("¥50.00").contains("138****8000")
                    .contains("支付宝").contains(orderNo).contains(tradeNo).contains("到账后余额 " + after.display());
        }

        page.navigate(baseUrl() + "/");
        assertThat(page.getByTestId("balance").textContent()).isEqualTo(after.display());
        page.navigate(baseUrl() + "/payments");
        assertThat(page.getByTestId("payment-row").first().textContent()).contains("¥50.00").contains("已到账");
        check(page, "payments");
        Download again = page.waitForDownload(() -> page.getByTestId("payment-row").first().getByTestId("receipt-link").click());
        assertThat(again.suggestedFilename()).isEqualTo("receipt-" + orderNo + ".pdf");

        // auto top-up from the top-up page: set up with consent, shown, then turned off again (other tests charge this account)
        page.navigate(baseUrl() + "/topup");
        page.getByTestId("auto-link").click();
        check(page, "auto-topup");
        try {
            page.locator("#threshold").fill("20");
            page.locator("#amount").fill("50");
            page.locator("#times").fill("2");
            page.getByTestId("auto-consent").check();
            page.getByTestId("auto-submit").click();
            assertThat(page.getByTestId("notice").textContent()).contains("自动充值已开启");
            assertThat(page.getByTestId("auto-summary").textContent()).contains("¥20.00").contains("¥50.00").contains("138****8000");
            check(page, "auto-topup-on");
        } finally {
            autoTopups.cancel(customerId);
        }
        page.context().close();
    }

    @Test
    void a_payment_left_unpaid_can_be_paid_from_its_page_or_by_scanning_its_qr_code_and_both_go_once_it_is_paid() throws Exception {
        TestSubscriber s = testCustomers.subscriber("Pay Later");
        Page page = browser.phone();
        signIn(page, s);
        startTopUp(page, 30, "wechat");

        // the payer leaves the provider's page without paying, and finds the order in their payments
        page.navigate(baseUrl() + "/payments");
        page.getByTestId("payment-row").first().locator("a").first().click();
        assertThat(page.getByTestId("payment-status").getAttribute("data-status")).isEqualTo("PENDING");
        long id = Long.parseLong(page.url().replaceAll(".*/payments/(\\d+).*", "$1"));
        assertThat(page.getByTestId("pay-now").getAttribute("href")).isEqualTo("/sim/wechat/pay/TH" + id + "?return=/payments/" + id);

        // the QR code a family member's phone would scan: the provider's page for this very order
        page.locator("details.scan summary").click();
        check(page, "payment-pending-qr");
        // in the middle of the screen: at its bottom edge the hall's fixed tab bar would cover part of it
        page.getByTestId("pay-qr").evaluate("e => e.scrollIntoView({block: 'center'})");
        byte[] shot = page.getByTestId("pay-qr").screenshot();
        String scanned = new MultiFormatReader().decode(new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(
                ImageIO.read(new ByteArrayInputStream(shot))))), Map.of(DecodeHintType.TRY_HARDER, Boolean.TRUE)).getText();
        assertThat(scanned).endsWith("/sim/wechat/pay/TH" + id);

        page.getByTestId("pay-now").click();
        page.getByTestId("sim-pay").click();
        assertThat(page.url()).endsWith("/payments/" + id);
        page.waitForCondition(() -> "PAID".equals(page.getByTestId("payment-status").getAttribute("data-status")),
                new Page.WaitForConditionOptions().setTimeout(30_000));
        // paid: nothing offers to pay it again, whether the page refreshed itself or is opened anew
        page.waitForCondition(() -> page.getByTestId("pay-again").count() == 0, new Page.WaitForConditionOptions().setTimeout(10_000));
        page.navigate(baseUrl() + "/payments/" + id);
        assertThat(page.getByTestId("pay-again").count()).isZero();
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofYuan(30));
        page.context().close();
    }
}
