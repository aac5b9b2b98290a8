package org.telehall.ordering;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import org.telehall.customer.Customer;
import org.telehall.shared.Money;

/**
 * The customer's billing cycle as seen on one day: what share of it is left, for pro-rating a
 * mid-cycle upgrade. Today counts as a day left, so an upgrade on the last day still pays one day.
 */
record PlanCycle(LocalDate today, LocalDate start, LocalDate nextStart) {

    static PlanCycle of(Customer customer, Instant now) {
        LocalDate today = LocalDate.ofInstant(now, Customer.ZONE);
        return new PlanCycle(today, customer.cycleStart(today), customer.nextCycleStart(today));
    }

    long daysLeft() {
        return ChronoUnit.DAYS.between(today, nextStart);
    }

    long days() {
        return ChronoUnit.DAYS.between(start, nextStart);
    }

    /** When the next cycle starts: midnight in the operator's zone. */
    Instant next() {
        return nextStart.atStartOfDay(Customer.ZONE).toInstant();
    }

    /** The share of a monthly amount for the days left, to the fen, half up. */
    Money share(Money monthly) {
        return Money.ofFen(share(monthly.fen()));
    }

    long share(long monthlyAmount) {
        return BigDecimal.valueOf(monthlyAmount).multiply(BigDecimal.valueOf(daysLeft()))
                .divide(BigDecimal.valueOf(days()), 0, RoundingMode.HALF_UP).longValueExact();
    }
}
