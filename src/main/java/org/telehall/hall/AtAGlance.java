package org.telehall.hall;

import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.customer.Customer;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.customer.LineSelection;
import org.telehall.inventory.Inventory;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Money;
import org.telehall.usage.Allowance;
import org.telehall.usage.Allowances;
import org.telehall.usage.UsageType;

/**
 * The home page's figures: a subscriber's whole account at a glance, read afresh on every request
 * (only the plan's name and fee, the same for everyone, come from the catalogue as read seconds ago).
 * The reads share one pooled connection (a transaction scope without a transaction: autocommit, no
 * BEGIN/COMMIT): borrowed separately, each query waited its turn in the pool under load, and the
 * pool's hand-offs and wake-ups were a measurable share of the page's CPU.
 */
@Component
class AtAGlance {

    private final Customers customers;
    private final LineSelection lineSelection;
    private final Ledger ledger;
    private final Allowances allowances;
    private final Inventory inventory;
    private final Catalog catalog;
    private final Clock clock;

    AtAGlance(Customers customers, LineSelection lineSelection, Ledger ledger, Allowances allowances,
              Inventory inventory, Catalog catalog, Clock clock) {
        this.customers = customers;
        this.lineSelection = lineSelection;
        this.ledger = ledger;
        this.allowances = allowances;
        this.inventory = inventory;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** The customer's account as the home page shows it, for the line selected in the session. */
    @Transactional(propagation = Propagation.SUPPORTS, readOnly = true)
    public Glance of(long customerId, HttpSession session) {
        var held = customers.withLines(customerId);
        Customer customer = held.customer();
        Line line = lineSelection.pick(held.lines(), session);
        var now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, Customer.ZONE);
        var allowance = allowances.summary(line.id(), now);
        Offering plan = inventory.planOf(line.id(), now).map(p -> catalog.shown(p.offeringId())).orElse(null);
        LocalDate nextCycle = customer.nextCycleStart(today);
        return new Glance(customer, held.lines(), line, ledger.balanceOf(customerId), allowance.get(UsageType.DATA),
                allowance.get(UsageType.VOICE), allowance.get(UsageType.SMS), plan, nextCycle,
                ChronoUnit.DAYS.between(today, nextCycle));
    }

    record Glance(Customer customer, List<Line> lines, Line line, Money balance, Allowance data, Allowance voice,
                  Allowance sms, Offering plan, LocalDate nextCycle, long daysToNextCycle) {
    }
}
