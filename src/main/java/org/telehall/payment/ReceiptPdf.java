package org.telehall.payment;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.context.MessageSource;
import org.telehall.customer.Customer;
import org.telehall.platform.PdfSheet;

/**
 * A paid payment's receipt (回执) as a one-page PDF in the payer's language: amount, the line
 * (masked), method, our order number and the provider's trade number, when it was credited, and the
 * balance right after the credit — that last only when the payer topped up their own account, as on
 * the payment page (someone else's balance is theirs). A refunded payment's receipt says so.
 */
final class ReceiptPdf {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(Customer.ZONE);
    private static final float LEFT = PdfSheet.MARGIN;
    private static final float RIGHT = PdfSheet.WIDTH - PdfSheet.MARGIN;
    private static final float VALUE_X = LEFT + 150;

    private ReceiptPdf() {
    }

    static String filename(Payment p) {
        return "receipt-" + p.outTradeNo() + ".pdf";
    }

    static byte[] render(Payment p, MessageSource messages, Locale locale, Instant now) {
        String title = msg(messages, locale, p.forBill() ? "payment.receipt.title.BILL" : "payment.receipt.title.TOPUP");
        try (PdfSheet sheet = new PdfSheet(title + " " + p.outTradeNo())) {
            sheet.text(msg(messages, locale, "payment.receipt.operator"), LEFT, 10, PdfSheet.Align.LEFT);
            sheet.text(msg(messages, locale, "payment.receipt.generated", TIME.format(now)), RIGHT, 9, PdfSheet.Align.RIGHT);
            sheet.down(34);
            sheet.text(title, PdfSheet.WIDTH / 2, 20, PdfSheet.Align.CENTER);
            sheet.down(40);
            sheet.text(p.amount().display(), PdfSheet.WIDTH / 2, 28, PdfSheet.Align.CENTER);
            sheet.down(18);
            sheet.text(msg(messages, locale, "payment.status." + p.status().name()), PdfSheet.WIDTH / 2, 11, PdfSheet.Align.CENTER);
            sheet.down(22);
            sheet.rule(0.6f);
            sheet.down(24);
            for (String[] fact : facts(p, messages, locale)) {
                sheet.text(fact[0], LEFT + 8, 11, PdfSheet.Align.LEFT);
                sheet.text(fact[1], VALUE_X, 11, PdfSheet.Align.LEFT);
                sheet.down(22);
            }
            sheet.rule(0.6f);
            sheet.down(18);
            sheet.text(msg(messages, locale, "payment.receipt.note"), LEFT + 8, 8, PdfSheet.Align.LEFT);
            return sheet.finish((page, pages) -> p.outTradeNo());
        }
    }

    private static List<String[]> facts(Payment p, MessageSource messages, Locale locale) {
        List<String[]> facts = new ArrayList<>();
        facts.add(fact(messages, locale, "payment.receipt.amount", p.amount().display()));
        facts.add(fact(messages, locale, p.forBill() ? "payment.number" : "topup.number", p.msisdn().masked()));
        facts.add(fact(messages, locale, "payment.purpose", p.forBill()
                ? msg(messages, locale, "payment.purpose.BILL", p.reference()) : msg(messages, locale, "payment.purpose.TOPUP")));
        facts.add(fact(messages, locale, "topup.method", msg(messages, locale, "payment.method." + p.method().name())));
        facts.add(fact(messages, locale, "payment.order-no", p.outTradeNo()));
        facts.add(fact(messages, locale, "payment.receipt.trade-no", p.providerTradeNo() == null ? "—" : p.providerTradeNo()));
        facts.add(fact(messages, locale, "payment.receipt.paid-at", p.paidAt() == null ? "—" : TIME.format(p.paidAt())));
        if (p.forOwnAccount() && p.balanceAfter() != null) {
            facts.add(fact(messages, locale, "payment.receipt.balance-after", p.balanceAfter().display()));
        }
        if (p.refundedAt() != null) {
            facts.add(fact(messages, locale, "payment.receipt.refunded-at", TIME.format(p.refundedAt())));
        }
        return facts;
    }

    private static String[] fact(MessageSource messages, Locale locale, String label, String value) {
        return new String[]{msg(messages, locale, label), value};
    }

    private static String msg(MessageSource messages, Locale locale, String key, Object... args) {
        return messages.getMessage(key, args, locale);
    }
}
