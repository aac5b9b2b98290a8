package org.telehall.billing;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Map;
import org.telehall.customer.Customer;
import org.telehall.shared.Money;

/**
 * A customer account's bill for one billing cycle ({@code cycleStart} to the day before
 * {@code cycleEnd}): what was spent by category, and how the balance moved: opening + payments −
 * total = closing. An issued bill has an id and never changes; the live bill of the current cycle
 * (id 0) is what the journal holds so far. A postpaid account's bill is due on {@code dueDate};
 * {@code settledAt} says when payments covered it, {@code suspendedAt} when it was overdue too long.
 */
public record Bill(long id, String billNo, long customerId, LocalDate cycleStart, LocalDate cycleEnd, Money openingBalance,
                   Money payments, Map<BillCategory, Money> amounts, Money total, Money closingBalance, Instant issuedAt,
                   boolean postpaid, LocalDate dueDate, Instant settledAt, Instant suspendedAt) {

    public boolean live() {
        return id == 0;
    }

    public Money amount(BillCategory category) {
        return amounts.getOrDefault(category, Money.ZERO);
    }

    public LocalDate lastDay() {
        return cycleEnd.minusDays(1);
    }

    /** The calendar month the cycle mostly lies in, which names the bill ("2026年10月账单"). */
    public YearMonth month() {
        return monthOf(cycleStart);
    }

    /** The month that names the bill of the cycle starting on {@code cycleStart}, for messages written before a Bill is at hand. */
    static YearMonth monthOf(LocalDate cycleStart) {
        return YearMonth.from(cycleStart.plusDays(14));
    }

    /** A postpaid bill not yet paid. */
    public boolean open() {
        return postpaid && settledAt == null;
    }

    public Instant periodStart() {
        return cycleStart.atStartOfDay(Customer.ZONE).toInstant();
    }

    public Instant periodEnd() {
        return cycleEnd.atStartOfDay(Customer.ZONE).toInstant();
    }

    /** What the bill left owing: the part of the closing balance below zero. */
    public Money amountDue() {
        return closingBalance.isNegative() ? closingBalance.negate() : Money.ZERO;
    }
}
