package org.telehall.billing;

import java.time.Instant;
import org.telehall.shared.Money;

/**
 * One journal movement behind a bill: a charge (positive), a credit to a category (negative), or a
 * payment ({@code category} null, the amount paid in). {@code text} is what the ledger recorded
 * (the offering's name, the number that used it).
 */
public record BillItem(long entryId, Instant postedAt, BillCategory category, String reasonCode, String text, Money amount) {
}
