package org.telehall.ordering;

import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import org.springframework.stereotype.Service;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.shared.Money;
import org.telehall.usage.UsageRecords;

/**
 * Plans side by side, each priced on the customer's own last three months: what they would have
 * paid a month on it, fee plus overage, so the choice rests on their usage and not on the brochure.
 */
@Service
public class PlanComparisons {

    /** The months the comparison prices: the three full calendar months before this one. */
    static final int MONTHS = 3;

    /** A line's average month of home usage over the compared months. */
    public record AverageUse(long dataKb, long voiceMinutes, long smsCount, List<YearMonth> months) {
        public org.telehall.shared.DataVolume data() {
            return new org.telehall.shared.DataVolume(dataKb);
        }
    }

    /**
     * One plan priced on that usage. {@code upgradeFeeNow} is what switching today costs for the rest
     * of the cycle (null when the plan is not dearer than the current one).
     */
    public record Estimate(Offering plan, boolean current, Money monthlyFee, Money overage, Money perMonth, boolean cheapest,
                           boolean upgrade, Money upgradeFeeNow) {
    }

    public record Comparison(Product currentPlan, AverageUse use, List<Estimate> plans, Instant nextCycle) {
    }

    private final Catalog catalog;
    private final Customers customers;
    private final Inventory inventory;
    private final UsageRecords usage;
    private final Clock clock;

    PlanComparisons(Catalog catalog, Customers customers, Inventory inventory, UsageRecords usage, Clock clock) {
        this.catalog = catalog;
        this.customers = customers;
        this.inventory = inventory;
        this.usage = usage;
        this.clock = clock;
    }

    public Comparison compare(long customerId, long lineId) {
        Customer customer = customers.get(customerId);
        customers.lineOf(customerId, lineId);
        Instant now = clock.instant();
        Product current = inventory.planOf(lineId, now).orElse(null);
        YearMonth thisMonth = YearMonth.now(clock.withZone(Customer.ZONE));
        List<YearMonth> months = java.util.stream.IntStream.rangeClosed(1, MONTHS).mapToObj(thisMonth::minusMonths).toList();
        List<UsageRecords.MonthTotals> totals = usage.monthTotals(lineId, months);
        PlanCycle cycle = PlanCycle.of(customer, now);

        List<Offering> plans = catalog.onSale().stream().filter(o -> o.kind() == OfferingKind.PLAN).toList();
        List<Estimate> estimates = plans.stream().map(plan -> estimate(plan, current, totals, cycle)).toList();
        Money cheapest = estimates.stream().map(Estimate::perMonth).min(Comparator.naturalOrder()).orElse(Money.ZERO);
        estimates = estimates.stream()
                .map(e -> new Estimate(e.plan(), e.current(), e.monthlyFee(), e.overage(), e.perMonth(), e.perMonth().equals(cheapest),
                        e.upgrade(), e.upgradeFeeNow()))
                .sorted(Comparator.comparing((Estimate e) -> e.monthlyFee()))
                .toList();
        AverageUse average = new AverageUse(
                average(totals.stream().mapToLong(UsageRecords.MonthTotals::dataKb).sum()),
                average(totals.stream().mapToLong(UsageRecords.MonthTotals::voiceMinutes).sum()),
                average(totals.stream().mapToLong(UsageRecords.MonthTotals::smsCount).sum()), months);
        return new Comparison(current, average, estimates, cycle.next());
    }

    private static long average(long sum) {
        return Math.round(sum / (double) MONTHS);
    }

    /** The plan's fee plus, month by month, what the usage past its allowance would have cost; averaged. */
    static Estimate estimate(Offering plan, Product current, List<UsageRecords.MonthTotals> months, PlanCycle cycle) {
        long overageFen = 0;
        for (UsageRecords.MonthTotals m : months) {
            long dataOverMb = Math.max(0, ceilDiv(m.dataKb(), 1024) - plan.dataMb());
            long voiceOver = Math.max(0, m.voiceMinutes() - plan.voiceMinutes());
            long smsOver = Math.max(0, m.smsCount() - plan.smsCount());
            overageFen += dataOverMb * plan.price().dataOveragePerMb().fen()
                    + voiceOver * plan.price().voiceOveragePerMinute().fen()
                    + smsOver * plan.price().smsOverage().fen();
        }
        Money overage = Money.ofFen(Math.round(overageFen / (double) Math.max(1, months.size())));
        Money fee = plan.price().recurringFee();
        boolean isCurrent = current != null && current.offeringId().equals(plan.id());
        boolean upgrade = current != null && fee.compareTo(current.recurringFee()) > 0;
        return new Estimate(plan, isCurrent, fee, overage, fee.plus(overage), false, upgrade,
                upgrade ? cycle.share(fee.minus(current.recurringFee())) : null);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
