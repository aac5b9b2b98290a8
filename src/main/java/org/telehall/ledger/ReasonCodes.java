package org.telehall.ledger;

/** Why money moved; each has a message key {@code ledger.reason.<code>}. */
public final class ReasonCodes {
    public static final String TOPUP = "TOPUP";
    public static final String PLAN_FEE = "PLAN_FEE";
    public static final String PACK_FEE = "PACK_FEE";
    public static final String SERVICE_FEE = "SERVICE_FEE";
    public static final String USAGE_VOICE = "USAGE_VOICE";
    public static final String USAGE_SMS = "USAGE_SMS";
    public static final String USAGE_DATA = "USAGE_DATA";
    public static final String REFUND = "REFUND";
    public static final String ADJUSTMENT = "ADJUSTMENT";

    private ReasonCodes() {
    }
}
