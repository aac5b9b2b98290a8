package org.telehall.invoicing;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.telehall.customer.Customer;
import org.telehall.shared.Money;

/**
 * An issued e-invoice (数电发票 style): number, buyer and seller, items with tax, the totals, and a
 * check code; a red-letter one names the blue one it cancels. Amounts of a red invoice are negative.
 */
public record Invoice(long id, String number, InvoiceKind kind, InvoiceStatus status, SourceKind sourceKind, String sourceReference,
                      long customerId, Buyer buyer, String sellerName, String sellerTaxId, String sellerAddress,
                      Money net, Money tax, Money total, String checkCode, Instant issuedAt,
                      Long originalId, String originalNumber, String reason, Instant reversedAt, Long reversedById,
                      String reversedByNumber, List<Item> items) {

    /** One line of the invoice: what was sold, at what tax rate, net + tax = total. */
    public record Item(int lineNo, String name, int taxRateBp, Money net, Money tax, Money total) {

        /** "9%", "6%". */
        public String taxRateDisplay() {
            return taxRateBp % 100 == 0 ? taxRateBp / 100 + "%" : java.math.BigDecimal.valueOf(taxRateBp, 2).stripTrailingZeros().toPlainString() + "%";
        }
    }

    private static final DateTimeFormatter QR_DATE = DateTimeFormatter.ofPattern("yyyyMMdd").withZone(Customer.ZONE);

    public boolean red() {
        return kind == InvoiceKind.RED;
    }

    public boolean reversible() {
        return kind == InvoiceKind.BLUE && status == InvoiceStatus.ISSUED;
    }

    /**
     * What the QR code carries, comma-separated after the tax authority's invoice QR layout:
     * version 01, type 32 (electronic general invoice), empty code, number, total with tax in yuan,
     * issue date yyyyMMdd, check code.
     */
    public String qrContent() {
        return String.join(",", "01", "32", "", number, total.yuan().toPlainString(), QR_DATE.format(issuedAt), checkCode);
    }
}
