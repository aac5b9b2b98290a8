package org.telehall.customer;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * A person or enterprise holding lines. The ID number is only ever here masked; the encrypted
 * original stays in the database.
 */
public record Customer(long id, CustomerKind kind, String name, String idNumberMasked, boolean realNameVerified,
                       int cycleDay, String serviceLevel, Instant createdAt) {

    /** The first day of the billing cycle that contains {@code today}. */
    public LocalDate cycleStart(LocalDate today) {
        return cycleStart(cycleDay, today);
    }

    /**
     * The first day of the cycle on billing day {@code cycleDay} that contains {@code today}: for work over every
     * billing day at once, without a customer at hand. In a month shorter than the billing day, its last day.
     */
    public static LocalDate cycleStart(int cycleDay, LocalDate today) {
        LocalDate candidate = today.withDayOfMonth(Math.min(cycleDay, today.lengthOfMonth()));
        return candidate.isAfter(today) ? candidate.minusMonths(1) : candidate;
    }

    /** The first day of the next cycle after the one containing {@code today}. */
    public LocalDate nextCycleStart(LocalDate today) {
        return cycleStart(today).plusMonths(1);
    }

    /** "张*" / "L**": enough for staff to address the customer, not to identify them. */
    public String maskedName() {
        if (name == null || name.isEmpty()) {
            return "*";
        }
        int first = name.offsetByCodePoints(0, 1);
        return name.substring(0, first) + "*".repeat(Math.max(1, Math.min(2, name.codePointCount(first, name.length()))));
    }

    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
}
