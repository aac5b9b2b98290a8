package org.telehall.billing;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.telehall.ledger.ReasonCodes;

/**
 * The categories of a bill, each the journal's movements of some reason codes. Together with the
 * payments they cover every movement: a reason code no category names is an adjustment, so a bill
 * always adds up to the ledger whatever codes the ledger learns later.
 */
public enum BillCategory {
    PLAN("plan_fen", ReasonCodes.PLAN_FEE),
    PACKS("packs_fen", ReasonCodes.PACK_FEE),
    SERVICES("services_fen", ReasonCodes.SERVICE_FEE),
    VOICE("voice_fen", ReasonCodes.USAGE_VOICE),
    DATA("data_fen", ReasonCodes.USAGE_DATA),
    SMS("sms_fen", ReasonCodes.USAGE_SMS),
    ROAMING("roaming_fen", ReasonCodes.USAGE_ROAMING),
    ADJUSTMENTS("adjustments_fen", ReasonCodes.REFUND, ReasonCodes.ADJUSTMENT),
    DISCOUNTS("discounts_fen", BillCategory.DISCOUNT);

    /** Discounts once the ledger posts them under their own code. */
    static final String DISCOUNT = "DISCOUNT";

    /** Money in rather than spent: top-ups, bill payments and their reversals. */
    static final Set<String> PAYMENTS = Set.of(ReasonCodes.TOPUP, ReasonCodes.BILL_PAYMENT, ReasonCodes.PAYMENT_REVERSAL);

    private final String column;
    private final List<String> reasonCodes;

    BillCategory(String column, String... reasonCodes) {
        this.column = column;
        this.reasonCodes = List.of(reasonCodes);
    }

    String column() {
        return column;
    }

    /** The category of a journal movement, or null for a payment. */
    static BillCategory of(String reasonCode) {
        if (PAYMENTS.contains(reasonCode)) {
            return null;
        }
        for (BillCategory c : values()) {
            if (c.reasonCodes.contains(reasonCode)) {
                return c;
            }
        }
        return ADJUSTMENTS;
    }

    /** The SQL condition on {@code e.reason_code} that selects this category's movements. */
    String condition() {
        if (this == ADJUSTMENTS) {
            String known = Arrays.stream(values()).filter(c -> c != ADJUSTMENTS).flatMap(c -> c.reasonCodes.stream())
                    .collect(Collectors.joining("', '", "'", "'"));
            return "e.reason_code not in (" + known + ", " + paymentsList() + ")";
        }
        return "e.reason_code in (" + reasonCodes.stream().collect(Collectors.joining("', '", "'", "'")) + ")";
    }

    static String paymentsList() {
        return PAYMENTS.stream().sorted().collect(Collectors.joining("', '", "'", "'"));
    }
}
