package org.telehall.invoicing;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.time.YearMonth;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.telehall.customer.Customer;
import org.telehall.support.BrowserTest;

/**
 * The demo subscriber in a real browser: last month's usage detail downloaded as a PDF, a top-up
 * invoiced and its PDF invoice downloaded, and a charge disputed and handed to a person — on a
 * phone, checked by axe, once in elderly mode.
 */
class InvoicingBrowserTest extends BrowserTest {

    @Test
    void the_demo_subscriber_downloads_last_months_detail_and_a_pdf_invoice_and_disputes_a_charge() throws Exception {
        Page page = browser.phone();
        signIn(page);
        String lastMonth = YearMonth.now(clock.withZone(Customer.ZONE)).minusMonths(1).toString();

        page.navigate(baseUrl() + "/usage?month=" + lastMonth);
        check(page, "usage-export");
        Download detail = page.waitForDownload(() -> page.getByTestId("export-pdf").click());
        assertThat(detail.suggestedFilename()).isEqualTo("usage-" + DEMO_MSISDN + "-" + lastMonth + ".pdf");
        try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(detail.path()))) {
            assertThat(new PDFTextStripper().getText(pdf)).contains("通信详单 " + lastMonth).contains("138****8000");
        }

        // a top-up, paid at the simulated Alipay, then invoiced from its payment page
        page.navigate(baseUrl() + "/topup");
        page.getByTestId("amount-30").check();
        page.getByTestId("method-alipay").check();
        page.getByTestId("topup-submit").click();
        page.getByTestId("sim-pay").click();
        page.waitForCondition(() -> "PAID".equals(page.getByTestId("payment-status").getAttribute("data-status")),
                new Page.WaitForConditionOptions().setTimeout(30_000));
        page.getByTestId("invoice-link").click();
        assertThat(page.getByTestId("amount").textContent()).isEqualTo("¥30.00");
        assertThat(page.locator("#buyerName").inputValue()).isEqualTo("张伟");
        check(page, "invoice-request");
        page.getByTestId("invoice-submit").click();
        assertThat(page.getByTestId("notice").textContent()).contains("发票已开具");
        String number = page.getByTestId("number").textContent();
        check(page, "invoice");
        Download invoice = page.waitForDownload(() -> page.getByTestId("invoice-pdf").click());
        assertThat(invoice.suggestedFilename()).isEqualTo("invoice-" + number + ".pdf");
        try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(invoice.path()))) {
            assertThat(new PDFTextStripper().getText(pdf)).contains(number).contains("张伟").contains("叁拾元整");
        }

        // a charge of last month questioned from the usage detail, found right, handed to a person
        page.navigate(baseUrl() + "/usage?month=" + lastMonth + "&type=DATA");
        page.getByTestId("dispute-link").click();
        assertThat(page.locator("#month").inputValue()).isEqualTo(lastMonth);
        page.locator("#type").selectOption("DATA");
        page.locator("#description").fill("上个月流量费好像多了");
        check(page, "dispute-new");
        page.getByTestId("dispute-submit").click();
        assertThat(page.getByTestId("dispute").getAttribute("data-outcome")).isIn("EXPLAINED", "REFUNDED");
        check(page, "dispute-result");
        if ("EXPLAINED".equals(page.getByTestId("dispute").getAttribute("data-outcome"))) {
            page.getByTestId("escalate").click();
            assertThat(page.getByTestId("escalated").textContent()).contains("工单");
        }

        String disputeUrl = page.url();
        page.navigate(baseUrl() + "/");
        page.getByTestId("elderly-on").click();
        try {
            page.navigate(disputeUrl);
            assertThat(page.locator("body").getAttribute("class")).contains("elderly");
            assertThat(px(page, "body", "fontSize")).isGreaterThanOrEqualTo(18);
            assertThat(px(page, "[data-testid=billed]", "fontSize")).isGreaterThanOrEqualTo(30);
            check(page, "dispute-result-elderly");
            page.navigate(baseUrl() + "/usage?month=" + lastMonth);
            for (String id : new String[]{"export-csv", "export-pdf", "dispute-link"}) {
                var box = page.getByTestId(id).boundingBox();
                assertThat(box.height).as(id + " height").isGreaterThanOrEqualTo(60);
                assertThat(box.width).as(id + " width").isGreaterThanOrEqualTo(60);
            }
            check(page, "usage-export-elderly");
        } finally {
            // the demo subscriber's preference is shared with the other tests
            page.navigate(baseUrl() + "/");
            page.getByTestId("elderly-off").click();
        }
        page.context().close();
    }
}
