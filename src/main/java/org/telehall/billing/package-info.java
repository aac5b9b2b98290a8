/**
 * Billing: the monthly bill of each customer account for each closed billing cycle (the customer's
 * cycle day), by category, made by the bill run from the ledger's journal and never changed once
 * issued; the current cycle as a live "so far" bill; the bills pages and TMF678 customerBill.
 */
package org.telehall.billing;
