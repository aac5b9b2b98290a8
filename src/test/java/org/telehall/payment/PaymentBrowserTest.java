package org.telehall.payment;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Paths;
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

/** The demo subscriber tops up 50 yuan from the home page with the Alipay-style simulator, sees the money arrive and downloads the receipt. */
class PaymentBrowserTest extends BrowserTest {

    @Autowired Ledger ledger;
    @Autowired Customers customers;
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
}
