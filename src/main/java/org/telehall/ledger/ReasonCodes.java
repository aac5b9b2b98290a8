package org.telehall.ledger;

/** Why money moved; each has a message key {@code ledger.reason.<code>}. */
public final class ReasonCodes {
    public static final String TOPUP = "TOPUP";
    /** A bill paid through a payment provider. */
    public static final String BILL_PAYMENT = "BILL_PAYMENT";
    /** A top-up or bill payment given back to the payer (refund), or one credited without the money (reconciliation). */
    public static final String PAYMENT_REVERSAL = "PAYMENT_REVERSAL";
    public static final String PLAN_FEE = "PLAN_FEE";
    public static final String PACK_FEE = "PACK_FEE";
    public static final String SERVICE_FEE = "SERVICE_FEE";
    public static final String USAGE_VOICE = "USAGE_VOICE";
    public static final String USAGE_SMS = "USAGE_SMS";
    public static final String USAGE_DATA = "USAGE_DATA";
    /** Usage abroad (data, calls and SMS with a roaming country), rated by the zone's prices. */
    public static final String USAGE_ROAMING = "USAGE_ROAMING";
    public static final String REFUND = "REFUND";
    public static final String ADJUSTMENT = "ADJUSTMENT";

    private ReasonCodes() {
    }
}
