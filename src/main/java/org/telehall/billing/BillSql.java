package org.telehall.billing;

import java.util.StringJoiner;

/**
 * The one aggregation a bill is made of, shared by the bill run (issued bills) and the live bill,
 * so both add up the journal the same way: movements of the customer's account before the cycle
 * (opening balance), and within it by reason code.
 */
final class BillSql {

    private BillSql() {
    }

    /** Category columns in table order. */
    static String columns() {
        StringJoiner out = new StringJoiner(", ");
        for (BillCategory c : BillCategory.values()) {
            out.add(c.column());
        }
        return out.toString();
    }

    /**
     * Select-list over {@code journal_line l join journal_entry e}, where {@code start} is the SQL
     * for the cycle's first instant; the caller limits the rows to before the cycle's end.
     */
    static String aggregates(String start) {
        StringJoiner out = new StringJoiner(",\n");
        out.add("coalesce(sum(l.amount_fen) filter (where l.posted_at < " + start + "), 0) as opening_balance_fen");
        out.add("coalesce(sum(l.amount_fen) filter (where l.posted_at >= " + start + " and e.reason_code in (" + BillCategory.paymentsList()
                + ")), 0) as payments_fen");
        for (BillCategory c : BillCategory.values()) {
            out.add("coalesce(-sum(l.amount_fen) filter (where l.posted_at >= " + start + " and " + c.condition() + "), 0) as " + c.column());
        }
        out.add("count(*) as movements");
        return out.toString();
    }

    /** The total of the category columns of an aggregate row aliased {@code alias}. */
    static String total(String alias) {
        StringJoiner out = new StringJoiner(" + ");
        for (BillCategory c : BillCategory.values()) {
            out.add(alias + "." + c.column());
        }
        return out.toString();
    }
}
