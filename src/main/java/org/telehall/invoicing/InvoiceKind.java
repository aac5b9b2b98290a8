package org.telehall.invoicing;

/** A blue (蓝字) invoice for money paid, or a red-letter (红字) one cancelling a blue one. */
public enum InvoiceKind {
    BLUE,
    RED
}
