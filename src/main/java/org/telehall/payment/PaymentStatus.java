package org.telehall.payment;

public enum PaymentStatus {
    /** Created, waiting for the provider to take the money. */
    PENDING,
    /** The provider took it and the ledger credited it. */
    PAID,
    FAILED,
    /** Paid, then given back through the journal and the provider. */
    REFUNDED,
    /** Never paid and closed (timed out at the provider). */
    CLOSED
}
