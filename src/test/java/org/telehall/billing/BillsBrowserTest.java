package org.telehall.billing;

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
 * The demo subscriber in a real browser, on a phone: from home to the bills and the year chart, last
 * month's bill with a category opened, its PDF e-invoice downloaded, a charge on it disputed; in
 * Chinese, English and elderly mode, each page checked by axe.
 */
class BillsBrowserTest extends BrowserTest {

    @Test
    void the_demo_subscriber_opens_last_months_bill_downloads_its_pdf_invoice_and_disputes_a_charge() throws Exception {
        Page page = browser.phone();
        signIn(page);
        YearMonth lastMonth = YearMonth.now(clock.withZone(Customer.ZONE)).minusMonths(1);

        page.navigate(baseUrl() + "/");
        page.locator("a[href='/bills']").first().click();
        assertThat(page.getByTestId("chart-bar").count()).isGreaterThanOrEqualTo(3);
        assertThat(page.getByTestId("spend-chart").boundingBox().height).isGreaterThan(100);
        check(page, "bills");

        page.getByTestId("bill-row").first().click();
        assertThat(page.locator("h1").textContent()).isEqualTo(lastMonth.getYear() + "年" + lastMonth.getMonthValue() + "月账单");
        page.locator("[data-category=PLAN] summary").click();
        assertThat(page.locator("[data-category=PLAN] [data-testid=item]").first().isVisible()).isTrue();
        check(page, "bill");
        String billUrl = page.url();
        String total = page.getByTestId("bill-total").textContent();

        // its e-invoice, requested from the bill and downloaded as a PDF
        page.getByTestId("bill-invoice").click();
        assertThat(page.getByTestId("amount").textContent()).isEqualTo(total);
        check(page, "bill-invoice-request");
        page.getByTestId("invoice-submit").click();
        assertThat(page.getByTestId("notice").textContent()).contains("发票已开具");
        String number = page.getByTestId("number").textContent();
        Download invoice = page.waitForDownload(() -> page.getByTestId("invoice-pdf").click());
        assertThat(invoice.suggestedFilename()).isEqualTo("invoice-" + number + ".pdf");
        try (PDDocument pdf = Loader.loadPDF(Files.readAllBytes(invoice.path()))) {
            assertThat(new PDFTextStripper().getText(pdf)).contains(number).contains("张伟").contains("电信服务");
        }

        // a charge picked on the bill, disputed
        page.navigate(billUrl);
        page.locator("[data-category=VOICE] summary").click();
        page.getByTestId("dispute-VOICE").click();
        assertThat(page.getByTestId("dispute-bill").textContent()).contains(lastMonth.getYear() + "年" + lastMonth.getMonthValue() + "月账单");
        page.locator("#description").fill("这个月的通话费我看不明白");
        check(page, "bill-dispute-new");
        page.getByTestId("dispute-submit").click();
        assertThat(page.getByTestId("dispute").getAttribute("data-outcome")).isIn("EXPLAINED", "REFUNDED", "ESCALATED");
        check(page, "bill-dispute");

        page.navigate(baseUrl() + "/lang?to=en&back=/bills");
        try {
            assertThat(page.locator("h1").textContent()).isEqualTo("Bills");
            check(page, "bills-en");
            page.navigate(billUrl);
            assertThat(page.locator("h1").textContent()).isEqualTo("Bill for " + lastMonth.getMonthValue() + "/" + lastMonth.getYear());
            check(page, "bill-en");
        } finally {
            page.navigate(baseUrl() + "/lang?to=zh-CN&back=/");
        }

        page.navigate(baseUrl() + "/");
        page.getByTestId("elderly-on").click();
        try {
            page.navigate(billUrl);
            assertThat(page.locator("body").getAttribute("class")).contains("elderly");
            check(page, "bill-elderly");
            page.navigate(baseUrl() + "/bills");
            check(page, "bills-elderly");
        } finally {
            page.navigate(baseUrl() + "/");
            page.getByTestId("elderly-off").click();
        }
        page.context().close();
    }
}
