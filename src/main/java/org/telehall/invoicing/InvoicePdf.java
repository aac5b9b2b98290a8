package org.telehall.invoicing;

import java.time.format.DateTimeFormatter;
import org.telehall.customer.Customer;
import org.telehall.platform.PdfSheet;
import org.telehall.platform.QrCode;
import org.telehall.shared.Money;

/**
 * The invoice as a PDF, laid out like a 数电发票: title, number and date, the QR code, buyer and
 * seller, items with tax rate, net and tax, the totals in figures and in financial numerals, and the
 * remarks (for a red-letter invoice, the blue one it cancels). Always in Chinese: it is a tax document.
 */
final class InvoicePdf {

    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy年MM月dd日").withZone(Customer.ZONE);
    private static final float LEFT = PdfSheet.MARGIN;
    private static final float RIGHT = PdfSheet.WIDTH - PdfSheet.MARGIN;
    private static final float MIDDLE = PdfSheet.WIDTH / 2;

    private InvoicePdf() {
    }

    static byte[] render(Invoice invoice) {
        try (PdfSheet sheet = new PdfSheet("电子发票 " + invoice.number())) {
            float top = PdfSheet.HEIGHT - PdfSheet.MARGIN;
            // without a quiet zone: the page margin is one
            sheet.squares(QrCode.modules(invoice.qrContent()), LEFT, top, 2.4f);
            sheet.text("电子发票（普通发票）", MIDDLE, top - 24, 18, PdfSheet.Align.CENTER);
            if (invoice.red()) {
                sheet.text("红字", MIDDLE, top - 46, 14, PdfSheet.Align.CENTER);
            }
            sheet.text("发票号码：" + invoice.number(), RIGHT, top - 14, 10, PdfSheet.Align.RIGHT);
            sheet.text("开票日期：" + DATE.format(invoice.issuedAt()), RIGHT, top - 30, 10, PdfSheet.Align.RIGHT);
            sheet.text("校验码：" + invoice.checkCode(), RIGHT, top - 46, 8, PdfSheet.Align.RIGHT);

            float boxTop = top - 90;
            float partyHeight = 70;
            sheet.rectangle(LEFT, boxTop - partyHeight, RIGHT - LEFT, partyHeight, 0.8f);
            sheet.line(MIDDLE, boxTop, MIDDLE, boxTop - partyHeight, 0.8f);
            party(sheet, "购买方信息", invoice.buyer().name(), invoice.buyer().taxId(), null, LEFT + 8, boxTop);
            party(sheet, "销售方信息", invoice.sellerName(), invoice.sellerTaxId(), invoice.sellerAddress(), MIDDLE + 8, boxTop);

            float tableTop = boxTop - partyHeight;
            float y = tableTop - 16;
            float[] x = {LEFT + 8, 330, 420, RIGHT - 8};
            sheet.text("项目名称", x[0], y, 9, PdfSheet.Align.LEFT);
            sheet.text("税率/征收率", x[1], y, 9, PdfSheet.Align.RIGHT);
            sheet.text("金额", x[2], y, 9, PdfSheet.Align.RIGHT);
            sheet.text("税额", x[3], y, 9, PdfSheet.Align.RIGHT);
            for (Invoice.Item item : invoice.items()) {
                y -= 16;
                sheet.text(item.name(), x[0], y, 9, PdfSheet.Align.LEFT);
                sheet.text(item.taxRateDisplay(), x[1], y, 9, PdfSheet.Align.RIGHT);
                sheet.text(plain(item.net()), x[2], y, 9, PdfSheet.Align.RIGHT);
                sheet.text(plain(item.tax()), x[3], y, 9, PdfSheet.Align.RIGHT);
            }
            y -= 24;
            sheet.text("合　　计", x[0], y, 9, PdfSheet.Align.LEFT);
            sheet.text(invoice.net().display(), x[2], y, 9, PdfSheet.Align.RIGHT);
            sheet.text(invoice.tax().display(), x[3], y, 9, PdfSheet.Align.RIGHT);
            float tableBottom = y - 10;
            sheet.rectangle(LEFT, tableBottom, RIGHT - LEFT, tableTop - tableBottom, 0.8f);

            float totalBottom = tableBottom - 26;
            sheet.rectangle(LEFT, totalBottom, RIGHT - LEFT, 26, 0.8f);
            sheet.text("价税合计（大写）　" + ChineseAmount.of(invoice.total()), x[0], totalBottom + 9, 10, PdfSheet.Align.LEFT);
            sheet.text("（小写）" + invoice.total().display(), x[3], totalBottom + 9, 10, PdfSheet.Align.RIGHT);

            float remarksBottom = totalBottom - 48;
            sheet.rectangle(LEFT, remarksBottom, RIGHT - LEFT, 48, 0.8f);
            sheet.text("备注", x[0], totalBottom - 16, 9, PdfSheet.Align.LEFT);
            sheet.text(remarks(invoice), x[0] + 40, totalBottom - 16, 9, PdfSheet.Align.LEFT);
            if (invoice.red()) {
                sheet.text("红冲原因：" + invoice.reason(), x[0] + 40, totalBottom - 32, 9, PdfSheet.Align.LEFT);
            }
            sheet.text("开票人：系统自动开具", LEFT, remarksBottom - 18, 9, PdfSheet.Align.LEFT);
            return sheet.finish((page, pages) -> "第 " + page + " 页 / 共 " + pages + " 页");
        }
    }

    private static void party(PdfSheet sheet, String heading, String name, String taxId, String address, float x, float top) {
        sheet.text(heading, x, top - 14, 9, PdfSheet.Align.LEFT);
        sheet.text("名称：" + name, x, top - 30, 9, PdfSheet.Align.LEFT);
        sheet.text("统一社会信用代码/纳税人识别号：" + (taxId == null ? "" : taxId), x, top - 46, 8, PdfSheet.Align.LEFT);
        if (address != null && !address.isBlank()) {
            sheet.text("地址、电话：" + address, x, top - 62, 8, PdfSheet.Align.LEFT);
        }
    }

    private static String remarks(Invoice invoice) {
        String what = switch (invoice.sourceKind()) {
            case TOPUP -> "话费充值，支付订单 TH" + invoice.sourceReference();
            case BILL -> "账单 " + invoice.sourceReference();
        };
        return invoice.red() ? "被红冲蓝字发票号码：" + invoice.originalNumber() + "；" + what : what;
    }

    private static String plain(Money money) {
        return money.yuan().toPlainString();
    }
}
