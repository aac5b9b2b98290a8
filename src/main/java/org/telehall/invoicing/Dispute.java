package org.telehall.invoicing;

import java.time.Instant;
import java.util.List;
import org.telehall.shared.Money;
import org.telehall.usage.UsageRecord;
import org.telehall.usage.UsageType;

/**
 * A disputed charge and what the check found: what was billed, what the rated records add up to,
 * the overcharge (records above the price that applied, and billing above the records), the refund
 * (twice the overcharge), and the records behind the charge, each with the most it could cost.
 */
public record Dispute(long id, long customerId, long lineId, UsageType category, Instant periodStart, Instant periodEnd, String periodLabel,
                      String billReference, String description, Money billed, Money recordsTotal, Money overcharge, Money refund,
                      DisputeOutcome outcome, Long ticketId, Instant createdAt, List<CheckedRecord> records) {

    /** One rated record behind the charge: what it was charged and the most it could cost at the price that applied. */
    public record CheckedRecord(UsageRecord record, Money maxCharge, String planId, int priceVersion) {

        public Money overcharge() {
            Money over = record.charge().minus(maxCharge);
            return over.isPositive() ? over : Money.ZERO;
        }
    }

    public boolean refunded() {
        return outcome == DisputeOutcome.REFUNDED;
    }

    public boolean escalated() {
        return outcome == DisputeOutcome.ESCALATED;
    }

    /** The refund's business key in the ledger: one per dispute, so one refund however often it is asked. */
    public static String refundKey(long disputeId) {
        return "dispute:" + disputeId;
    }
}
