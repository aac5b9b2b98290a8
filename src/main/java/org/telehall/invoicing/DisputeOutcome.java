package org.telehall.invoicing;

/** How a dispute ended: refunded twice the overcharge, explained (the charge was right), or handed to a person. */
public enum DisputeOutcome {
    REFUNDED,
    EXPLAINED,
    ESCALATED
}
