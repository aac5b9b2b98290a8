/**
 * Invoicing: what a customer takes away about their money and usage — the usage detail (详单) of any
 * of the last 6 months as CSV or PDF (other party masked as on the page), e-invoices (数电发票 style)
 * for top-ups and bills with red-letter (冲红) reversal, and disputes of a bill's charges.
 */
package org.telehall.invoicing;
