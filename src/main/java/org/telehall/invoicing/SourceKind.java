package org.telehall.invoicing;

/** What an invoice is for: a top-up (the payment's id) or a bill (the bill's id). */
public enum SourceKind {
    TOPUP,
    BILL
}
