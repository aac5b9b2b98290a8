package org.telehall.ordering;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.identity.Accounts;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.notify.Sms;
import org.telehall.shared.BusinessRuleException;

/**
 * Carries confirmed orders through the network: provisions them, applies the change to the
 * inventory and allowances, and tells the customer. A failing network is retried with growing
 * pauses; after the last try the fee is refunded through the ledger and the customer told why.
 * Several nodes may run this at once: each order is taken under a row lock, skipping locked ones.
 */
@Component
public class OrderFulfilment {

    static final int MAX_ATTEMPTS = 4;
    static final Duration FIRST_RETRY = Duration.ofSeconds(5);
    private static final Logger log = LoggerFactory.getLogger(OrderFulfilment.class);

    private final JdbcClient jdbc;
    private final Orders orders;
    private final NetworkProvisioning network;
    private final Catalog catalog;
    private final Customers customers;
    private final Inventory inventory;
    private final org.telehall.usage.Allowances allowances;
    private final Ledger ledger;
    private final Accounts accounts;
    private final Sms sms;
    private final MessageSource messages;
    private final TransactionTemplate tx;
    private final TransactionTemplate nested;
    private final org.telehall.customer.NumberPool numbers;
    private final org.telehall.customer.RealNameCheck realName;
    private final Clock clock;

    OrderFulfilment(JdbcClient jdbc, Orders orders, NetworkProvisioning network, Catalog catalog, Customers customers,
                    Inventory inventory, org.telehall.usage.Allowances allowances, Ledger ledger, Accounts accounts, Sms sms,
                    MessageSource messages, TransactionTemplate tx, org.telehall.customer.NumberPool numbers,
                    org.telehall.customer.RealNameCheck realName, Clock clock) {
        this.numbers = numbers;
        this.realName = realName;
        this.nested = new TransactionTemplate(java.util.Objects.requireNonNull(tx.getTransactionManager()));
        this.nested.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_NESTED);
        this.jdbc = jdbc;
        this.orders = orders;
        this.network = network;
        this.catalog = catalog;
        this.customers = customers;
        this.inventory = inventory;
        this.allowances = allowances;
        this.ledger = ledger;
        this.accounts = accounts;
        this.sms = sms;
        this.messages = messages;
        this.tx = tx;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${telehall.orders.poll:1s}", initialDelayString = "${telehall.orders.poll:1s}")
    void poll() {
        try {
            runDue();
        } catch (RuntimeException e) {
            log.warn("order fulfilment round failed; the orders stay due and are tried again", e);
        }
    }

    /** Works every order that is due now, and lapses quotes nobody confirmed; returns how many orders it worked. */
    public int runDue() {
        Instant now = clock.instant();
        jdbc.sql("select id from product_order where state = 'PENDING' and confirm_by <= ?").param(Timestamp.from(now))
                .query(Long.class).list().forEach(id -> tx.executeWithoutResult(s -> orders.lapse(id, now)));
        int worked = 0;
        while (Boolean.TRUE.equals(tx.execute(s -> workOne()))) {
            worked++;
        }
        return worked;
    }

    private boolean workOne() {
        Instant now = clock.instant();
        Optional<long[]> due = jdbc.sql("""
                select id, customer_id from product_order where state = 'IN_PROGRESS' and next_attempt_at <= ?
                 order by next_attempt_at limit 1 for update skip locked
                """).param(Timestamp.from(now)).query((rs, n) -> new long[]{rs.getLong(1), rs.getLong(2)}).optional();
        if (due.isEmpty()) {
            return false;
        }
        Order order = orders.get(due.get()[1], due.get()[0]);
        // a new line has no line yet: the network is asked to activate the held number
        Line line = order.isNewLine() ? null : customers.lineOf(order.customerId(), order.lineId());
        String msisdn = order.isNewLine() ? order.newMsisdn() : line.msisdn().value();
        List<NetworkProvisioning.Change> changes = order.items().stream()
                .map(i -> new NetworkProvisioning.Change(i.action(), i.offeringId())).toList();
        NetworkProvisioning.Result result;
        try {
            result = network.provision(new NetworkProvisioning.Request(order.id(), msisdn, changes));
        } catch (RuntimeException e) {
            result = new NetworkProvisioning.Result(NetworkProvisioning.Outcome.TEMPORARY_FAILURE, e.getMessage());
        }
        switch (result.outcome()) {
            case DONE -> complete(order, line, now);
            case TEMPORARY_FAILURE -> retryOrFail(order, line, result.reason(), now);
            case PERMANENT_FAILURE -> fail(order, line, "order.reason.network", result.reason(), now);
        }
        return true;
    }

    private void complete(Order order, Line line, Instant now) {
        orders.event(order.id(), now, Order.Step.PROVISIONED, null);
        if (order.isNewLine()) {
            try {
                line = openLine(order, now);
            } catch (BusinessRuleException e) {
                fail(order, null, "realname.too-many-lines".equals(e.code()) ? "order.reason.too-many-lines"
                        : e.code().startsWith("realname") ? "order.reason.real-name" : "order.reason.number-gone", e.getMessage(), now);
                return;
            }
            orders.event(order.id(), now, Order.Step.LINE_OPENED, line.msisdn().masked());
        }
        List<String> names = new ArrayList<>();
        Locale locale = localeOf(order.customerId());
        for (Order.Item item : order.items()) {
            Offering offering = catalog.get(item.offeringId());
            if (item.action() == Order.Action.RENEW) {
                names.add(offering.name(locale));
                inventory.keepAfterTrial(order.customerId(), item.productId(), now);
            } else if (item.action() == Order.Action.ADD && offering.isSimReplacement()) {
                names.add(offering.name(locale));
                String iccid = customers.replaceSim(order.customerId(), line.id());
                jdbc.sql("update product_order_item set detail = ? where id = ?")
                        .params((item.detail() == null ? "" : item.detail() + " ") + "ICCID …" + iccid.substring(iccid.length() - 6), item.id()).update();
                orders.event(order.id(), now, Order.Step.SIM_ACTIVATED, "ICCID …" + iccid.substring(iccid.length() - 6));
            } else if (item.action() == Order.Action.ADD) {
                names.add(offering.name(locale));
                Product product = offering.kind() == OfferingKind.PLAN ? changePlan(order, line, offering, item, now)
                        : inventory.add(order.customerId(), line.id(), offering, now);
                if (offering.kind() == OfferingKind.PACK && product.endsAt() != null) {
                    allowances.grant(line.id(), product.id(), offering, product.startedAt(), product.endsAt());
                }
                jdbc.sql("update product_order_item set product_id = ? where id = ?").params(product.id(), item.id()).update();
            } else if (offering.kind() != OfferingKind.PLAN) { // the old plan ends as the new one starts
                names.add(offering.name(locale));
                inventory.terminate(order.customerId(), item.productId(), now);
                allowances.endOf(item.productId(), now);
            }
        }
        jdbc.sql("update product_order set state = 'COMPLETED', completed_at = ?, next_attempt_at = null where id = ?")
                .params(Timestamp.from(now), order.id()).update();
        orders.event(order.id(), now, Order.Step.COMPLETED, null);
        Optional<Order.Item> newPlan = order.items().stream()
                .filter(i -> i.action() == Order.Action.ADD && catalog.get(i.offeringId()).kind() == OfferingKind.PLAN).findFirst();
        String key = order.isNewLine() ? "order.sms.new-line" : newPlan.isPresent() ? "order.sms.plan-changed"
                : order.isUnsubscribe() ? "order.sms.unsubscribed" : "order.sms.completed";
        Instant effective = order.effectiveAt() != null ? order.effectiveAt() : now;
        tell(order, line, messages.getMessage(key, new Object[]{String.join("、", names), order.fee().display(), order.id(),
                java.time.format.DateTimeFormatter.ISO_LOCAL_DATE.format(java.time.LocalDate.ofInstant(effective, org.telehall.customer.Customer.ZONE)),
                newPlan.map(i -> i.monthly().display()).orElse(""), line.msisdn().value()}, locale), now);
    }

    /**
     * Opens the new line: the person's real name goes on file (if it was not), the held number
     * becomes an active line with a new SIM. Both in a savepoint, so a refusal (the number taken
     * after all, a sixth line) undoes them alone and the order can still fail cleanly and refund.
     */
    private Line openLine(Order order, Instant now) {
        Orders.RealNameOnOrder person = orders.realNameOf(order.id());
        Line line = nested.execute(s -> {
            org.telehall.customer.RealNameCheck.Result recorded = realName.record(order.customerId(), person.name(), person.idNumber());
            if (!recorded.ok()) {
                throw new BusinessRuleException(recorded.code(), "real-name record refused: " + recorded.code());
            }
            return numbers.activate(order.customerId(), new org.telehall.shared.Msisdn(order.newMsisdn()), now);
        });
        jdbc.sql("update product_order set line_id = ? where id = ?").params(line.id(), order.id()).update();
        orders.forgetRealName(order.id());
        return line;
    }

    /**
     * The new plan replaces the old one. Mid-cycle, the line keeps what it has of the old plan's
     * allowance and gets the quoted extra for the days left; from a new cycle, it gets the new plan's
     * allowance for that cycle. Where the cycle roll-over has already put the old plan's allowance in place
     * for the coming cycle (it does so a day ahead), that allowance becomes the new plan's.
     */
    private Product changePlan(Order order, Line line, Offering plan, Order.Item item, Instant now) {
        Instant from = order.effectiveAt() != null ? order.effectiveAt() : now;
        Product product = inventory.replacePlan(order.customerId(), line.id(), plan, from);
        PlanCycle cycle = PlanCycle.of(customers.get(order.customerId()), from);
        Instant cycleEnd = cycle.next();
        if (order.effectiveAt() == null) {
            allowances.grantPlanAllowance(line.id(), product.id(), plan.id(), item.grantDataKb(), item.grantVoiceMinutes(), item.grantSms(),
                    now, cycleEnd);
            // the next cycle's, if already renewed for the old plan
            allowances.planAllowanceForCycle(line.id(), product.id(), plan.id(), plan.dataMb() * 1024, plan.voiceMinutes(), plan.smsCount(),
                    cycleEnd, cycleEnd.atZone(org.telehall.customer.Customer.ZONE).plusMonths(1).toInstant(), false);
        } else {
            allowances.planAllowanceForCycle(line.id(), product.id(), plan.id(), plan.dataMb() * 1024, plan.voiceMinutes(), plan.smsCount(),
                    from, cycleEnd, true);
        }
        return product;
    }

    private void retryOrFail(Order order, Line line, String reason, Instant now) {
        int attempts = jdbc.sql("update product_order set attempts = attempts + 1 where id = ? returning attempts")
                .param(order.id()).query(Integer.class).single();
        if (attempts >= MAX_ATTEMPTS) {
            fail(order, line, "order.reason.network", reason, now);
            return;
        }
        Duration pause = FIRST_RETRY.multipliedBy(1L << (attempts - 1));
        jdbc.sql("update product_order set next_attempt_at = ? where id = ?").params(Timestamp.from(now.plus(pause)), order.id()).update();
        orders.event(order.id(), now, Order.Step.PROVISIONING_RETRY, attempts + "/" + MAX_ATTEMPTS);
        log.info("order {} provisioning failed ({}), try {} of {} in {}", order.id(), reason, attempts + 1, MAX_ATTEMPTS, pause);
    }

    /** Ends the order failed for {@code reasonKey} (a message key the customer reads), refunding its fee once. */
    private void fail(Order order, Line line, String reasonKey, String cause, Instant now) {
        orders.event(order.id(), now, Order.Step.PROVISIONING_FAILED, reasonKey);
        log.warn("order {} failed for good: {}", order.id(), cause);
        if (order.fee().isPositive()) {
            Ledger.Result refund = ledger.credit(new Posting(order.customerId(), order.fee(), Orders.refundKey(order.id()),
                    ReasonCodes.REFUND, "订单 " + order.id() + " 退款"), "ORDER_REFUND");
            orders.event(order.id(), now, Order.Step.REFUNDED, order.fee().display() + " → " + refund.balanceAfter().display());
        }
        jdbc.sql("update product_order set state = 'FAILED', failure_reason = ?, completed_at = ?, next_attempt_at = null where id = ?")
                .params(reasonKey, Timestamp.from(now), order.id()).update();
        orders.event(order.id(), now, Order.Step.FAILED, reasonKey);
        orders.releaseNumber(order);
        Locale locale = localeOf(order.customerId());
        tell(order, line, messages.getMessage("order.sms.failed", new Object[]{order.id(), order.fee().display()}, locale), now);
    }

    private void tell(Order order, Line line, String text, Instant now) {
        java.util.Optional<String> login = accounts.subscriberLoginOf(order.customerId()).map(Accounts.SubscriberLogin::msisdn);
        String to = login.orElse(line != null ? line.msisdn().value() : order.newMsisdn());
        sms.send(to, text, "order");
        orders.event(order.id(), now, Order.Step.NOTIFIED, org.telehall.shared.Msisdn.maskNumber(to));
    }

    private Locale localeOf(long customerId) {
        return accounts.subscriberLoginOf(customerId).map(Accounts.SubscriberLogin::locale).orElse(Locale.SIMPLIFIED_CHINESE);
    }
}
