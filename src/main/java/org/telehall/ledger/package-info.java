/**
 * Money: one prepaid account per customer, a double-entry journal in integer fen, balances and
 * history. The only module that writes money.
 */
package org.telehall.ledger;
