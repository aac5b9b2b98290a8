package org.telehall.invoicing;

/** ISSUED, then for a blue invoice possibly REVERSED (by a red-letter invoice); nothing else ever changes. */
public enum InvoiceStatus {
    ISSUED,
    REVERSED
}
