package org.telehall.ordering;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.customer.Customers;
import org.telehall.customer.Line;
import org.telehall.customer.LineStatus;
import org.telehall.identity.Accounts;
import org.telehall.identity.OneTimeCodes;
import org.telehall.inventory.Inventory;
import org.telehall.inventory.Product;
import org.telehall.inventory.ProductStatus;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;

/**
 * Places orders and takes them through quote and confirmation to the fee. Nothing is charged or
 * changed before the customer confirms the quote with the SMS code; provisioning then runs in
 * {@link OrderFulfilment}.
 */
@Service
public class Orders {

    /** How long a quote waits for its confirmation before it lapses. */
    public static final Duration CONFIRM_WITHIN = Duration.ofMinutes(15);
    static final String CODE_PURPOSE = "order:";

    /** Who places an order for which line, through which channel. */
    public record Placement(long customerId, long lineId, long placedByUserId, OrderChannel channel) {
    }

    /** What a confirmation attempt came to: the order as it stands and how the code was judged. */
    public record Confirmation(Order order, OneTimeCodes.Outcome code) {
        public boolean accepted() {
            return code == OneTimeCodes.Outcome.ACCEPTED;
        }
    }

    private final JdbcClient jdbc;
    private final Catalog catalog;
    private final Customers customers;
    private final Inventory inventory;
    private final Ledger ledger;
    private final Accounts accounts;
    private final OneTimeCodes codes;
    private final org.telehall.customer.NumberPool numbers;
    private final org.telehall.customer.RealNameCheck realName;
    private final org.telehall.customer.IdNumberCipher idCipher;
    private final Clock clock;

    Orders(JdbcClient jdbc, Catalog catalog, Customers customers, Inventory inventory, Ledger ledger, Accounts accounts,
           OneTimeCodes codes, org.telehall.customer.NumberPool numbers, org.telehall.customer.RealNameCheck realName,
           org.telehall.customer.IdNumberCipher idCipher, Clock clock) {
        this.numbers = numbers;
        this.realName = realName;
        this.idCipher = idCipher;
        this.jdbc = jdbc;
        this.catalog = catalog;
        this.customers = customers;
        this.inventory = inventory;
        this.ledger = ledger;
        this.accounts = accounts;
        this.codes = codes;
        this.clock = clock;
    }

    /** Why a SIM is replaced. */
    public enum SimReason { LOST, DAMAGED }

    /**
     * Quotes adding a pack, a value-added service or a line function (roaming, long distance) to the
     * line, and sends the confirmation code.
     */
    @Transactional
    public Order quoteAdd(Placement placement, String offeringId) {
        Offering offering = catalog.orderable(offeringId);
        if (offering.isSimReplacement()) {
            return quoteSimReplacement(placement, SimReason.DAMAGED);
        }
        return quote(placement, offering, null);
    }

    /** Quotes a new SIM for the line: the number, plan and balance stay; the old SIM stops when the new one activates. */
    @Transactional
    public Order quoteSimReplacement(Placement placement, SimReason reason) {
        Offering sim = catalog.onSale().stream().filter(Offering::isSimReplacement).findFirst()
                .orElseThrow(() -> new BusinessRuleException("order.not-on-sale", "the operator offers no SIM replacement"));
        return quote(placement, sim, reason.name());
    }

    private Order quote(Placement placement, Offering offering, String detail) {
        Line line = customers.lineOf(placement.customerId(), placement.lineId());
        if (offering.kind() == OfferingKind.PLAN) {
            throw new BusinessRuleException("order.plan-change-not-here", "a plan is changed on the plan page, not ordered as an add-on");
        }
        Instant now = clock.instant();
        if (offering.kind() == OfferingKind.SERVICE && !offering.isSimReplacement() && holds(line.id(), offering.id(), now)) {
            throw new BusinessRuleException("order.already-subscribed", "the line already has " + offering.id());
        }
        refuseConflicts(line.id(), List.of(offering.id()), List.of());
        // one-off fees now (a pack, a SIM card); a service's first month now unless it starts with a free trial
        Money fee = offering.price().oneTimeFee();
        if (offering.kind() == OfferingKind.SERVICE && offering.trialDays() == 0) {
            fee = fee.plus(offering.price().recurringFee());
        }
        Money monthly = offering.kind() == OfferingKind.SERVICE ? offering.price().recurringFee() : Money.ZERO;
        long id = insertOrder(placement, line.id(), fee, now);
        insertItem(id, Order.Action.ADD, offering.id(), null, fee, monthly, 0, 0, 0, detail);
        event(id, now, Order.Step.QUOTED, fee.display());
        sendCode(id, placement.customerId());
        return get(placement.customerId(), id);
    }

    /** Quotes ending recurring products (services, auto-renewing packs) of one line. */
    @Transactional
    public Order quoteUnsubscribe(Placement placement, List<Long> productIds) {
        if (productIds.isEmpty()) {
            throw new IllegalArgumentException("choose at least one service to cancel");
        }
        Line line = customers.lineOf(placement.customerId(), placement.lineId());
        Instant now = clock.instant();
        List<Product> products = new ArrayList<>();
        for (long productId : productIds.stream().distinct().toList()) {
            Product p = inventory.ofCustomer(placement.customerId(), productId);
            if (p.lineId() != line.id() || p.status() == ProductStatus.TERMINATED || (p.endsAt() != null && !p.endsAt().isAfter(now))) {
                throw new NotFoundException("no product " + productId + " in force on this line");
            }
            if (p.kind() == OfferingKind.PLAN) {
                throw new BusinessRuleException("order.plan-not-cancellable", "a line keeps a plan; change it instead of cancelling it");
            }
            products.add(p);
        }
        refuseConflicts(line.id(), List.of(), products.stream().map(Product::id).toList());
        long id = insertOrder(placement, line.id(), Money.ZERO, now);
        for (Product p : products) {
            insertItem(id, Order.Action.DELETE, p.offeringId(), p.id(), Money.ZERO, p.recurringFee(), 0, 0, 0);
        }
        event(id, now, Order.Step.QUOTED, Money.ZERO.display());
        sendCode(id, placement.customerId());
        return get(placement.customerId(), id);
    }

    /** Who asks for a new line and what they give: the held number, their real name and ID number, the plan. */
    public record NewLine(long customerId, long placedByUserId, OrderChannel channel, String msisdn, String name, String idNumber,
                          String planOfferingId) {
    }

    /**
     * Quotes a new line: the number from the pool (held for the customer while the quote waits, at
     * most 15 minutes), the plan with its fee and allowance for the days left in the cycle, and the
     * number's price if it is a lucky one. The person's name and ID number must pass the real-name
     * check — checksum, matching the customer's record, at most 5 lines per person — now and again
     * when the order is confirmed and when the line is opened.
     */
    @Transactional
    public Order quoteNewLine(NewLine request) {
        Instant now = clock.instant();
        if (request.msisdn() == null || !org.telehall.shared.Msisdn.isValid(request.msisdn().trim())) {
            throw new BusinessRuleException("number.invalid", "not a mobile number: " + request.msisdn());
        }
        org.telehall.shared.Msisdn msisdn = new org.telehall.shared.Msisdn(request.msisdn().trim());
        Offering plan = catalog.orderable(request.planOfferingId() == null ? "" : request.planOfferingId());
        if (plan.kind() != OfferingKind.PLAN) {
            throw new BusinessRuleException("order.not-a-plan", request.planOfferingId() + " is not a plan");
        }
        String name = request.name() == null ? "" : request.name().trim();
        String idNumber = request.idNumber() == null ? "" : request.idNumber().trim().toUpperCase(Locale.ROOT);
        org.telehall.customer.RealNameCheck.Result check = realName.check(request.customerId(), name, idNumber);
        if (!check.ok()) {
            throw new BusinessRuleException(check.code(), "real-name check refused: " + check.code(),
                    org.telehall.customer.RealName.MAX_LINES_PER_PERSON);
        }
        boolean open = jdbc.sql("""
                select exists (select 1 from product_order where new_msisdn = ? and state in ('PENDING', 'ACKNOWLEDGED', 'IN_PROGRESS'))
                """).param(msisdn.value()).query(Boolean.class).single();
        if (open) {
            throw new BusinessRuleException("order.conflict", "an open order already opens " + msisdn.masked());
        }
        org.telehall.customer.PoolNumber number = numbers.get(msisdn);
        org.telehall.customer.NumberHold hold = numbers.hold(request.customerId(), msisdn, now);
        PlanCycle cycle = PlanCycle.of(customers.get(request.customerId()), now);
        Money planShare = cycle.share(plan.price().recurringFee());
        Money fee = number.price().plus(planShare);
        Placement placement = new Placement(request.customerId(), 0, request.placedByUserId(), request.channel());
        long id = jdbc.sql("""
                insert into product_order (customer_id, line_id, channel, placed_by_user_id, state, fee_fen, created_at, confirm_by,
                                           new_msisdn, realname_name, realname_id_cipher)
                values (?, null, ?, ?, 'PENDING', ?, ?, ?, ?, ?, ?) returning id
                """).params(placement.customerId(), placement.channel().name(), placement.placedByUserId(), fee.fen(), Timestamp.from(now),
                        // the quote waits no longer than the number is held
                        Timestamp.from(hold.until().isBefore(now.plus(CONFIRM_WITHIN)) ? hold.until() : now.plus(CONFIRM_WITHIN)),
                        msisdn.value(), name, idCipher.encrypt(idNumber))
                .query(Long.class).single();
        insertItem(id, Order.Action.ADD, plan.id(), null, fee, plan.price().recurringFee(),
                cycle.share(plan.dataMb() * 1024), cycle.share(plan.voiceMinutes()), cycle.share(plan.smsCount()),
                number.lucky() ? "LUCKY " + number.price().display() : null);
        event(id, now, Order.Step.QUOTED, fee.display());
        sendCode(id, request.customerId());
        return get(request.customerId(), id);
    }

    /** The real-name data a new-line order carries, decrypted for opening the line. */
    record RealNameOnOrder(String name, String idNumber) {
    }

    RealNameOnOrder realNameOf(long orderId) {
        return jdbc.sql("select realname_name, realname_id_cipher from product_order where id = ?").param(orderId)
                .query((rs, n) -> new RealNameOnOrder(rs.getString(1), rs.getString(2) == null ? null : idCipher.decrypt(rs.getString(2))))
                .single();
    }

    /** Once a new-line order has ended, the ID number it carried is not kept with it. */
    void forgetRealName(long orderId) {
        jdbc.sql("update product_order set realname_id_cipher = null where id = ?").param(orderId).update();
    }

    /** A new-line order that ends without a line gives its number back to the pool. */
    void releaseNumber(Order order) {
        if (order.isNewLine()) {
            numbers.release(order.customerId(), new org.telehall.shared.Msisdn(order.newMsisdn()));
            forgetRealName(order.id());
        }
    }

    /**
     * Quotes keeping a service after its free trial: without this order the trial ends by itself and
     * nothing is charged; with it, the monthly fee starts when the trial ends.
     */
    @Transactional
    public Order quoteRenewal(Placement placement, long productId) {
        Line line = customers.lineOf(placement.customerId(), placement.lineId());
        Instant now = clock.instant();
        Product p = inventory.ofCustomer(placement.customerId(), productId);
        if (p.lineId() != line.id() || p.status() == ProductStatus.TERMINATED || !p.inTrial(now)) {
            throw new NotFoundException("no service in trial " + productId + " on this line");
        }
        if (p.autoRenew()) {
            throw new BusinessRuleException("order.already-renewed", "product " + productId + " already goes on after its trial");
        }
        refuseConflicts(line.id(), List.of(), List.of(p.id()));
        long id = insertOrder(placement, line.id(), Money.ZERO, now);
        insertItem(id, Order.Action.RENEW, p.offeringId(), p.id(), Money.ZERO, p.recurringFee(), 0, 0, 0);
        event(id, now, Order.Step.QUOTED, Money.ZERO.display());
        sendCode(id, placement.customerId());
        return get(placement.customerId(), id);
    }

    /** When a plan change takes effect: at once (upgrades only, pro-rated) or from the next cycle. */
    public enum Effective { NOW, NEXT_CYCLE }

    /**
     * Quotes moving the line to another plan. An upgrade may start now: the fee is the difference in
     * monthly fee for the days left in the cycle, and the line gets the difference in allowance for
     * those days. A downgrade starts with the next cycle (so nothing already paid is lost), and so does
     * an upgrade when asked; such a change can be cancelled until it takes effect.
     */
    @Transactional
    public Order quotePlanChange(Placement placement, String planOfferingId, Effective when) {
        Line line = customers.lineOf(placement.customerId(), placement.lineId());
        Offering plan = catalog.orderable(planOfferingId);
        if (plan.kind() != OfferingKind.PLAN) {
            throw new BusinessRuleException("order.not-a-plan", planOfferingId + " is not a plan");
        }
        Instant now = clock.instant();
        Product current = inventory.planOf(line.id(), now)
                .orElseThrow(() -> new BusinessRuleException("order.no-plan", "the line has no plan to change"));
        if (current.offeringId().equals(plan.id())) {
            throw new BusinessRuleException("order.same-plan", "the line already has " + plan.id());
        }
        Offering currentPlan = catalog.get(current.offeringId());
        boolean upgrade = plan.price().recurringFee().compareTo(current.recurringFee()) > 0;
        Effective effective = when != null ? when : upgrade ? Effective.NOW : Effective.NEXT_CYCLE;
        if (effective == Effective.NOW && !upgrade) {
            throw new BusinessRuleException("order.downgrade-next-cycle", "a cheaper plan starts with the next cycle");
        }
        refuseConflicts(line.id(), List.of(plan.id()), List.of(current.id()));
        PlanCycle cycle = PlanCycle.of(customers.get(placement.customerId()), now);
        Money fee = Money.ZERO;
        long dataKb = 0, minutes = 0, sms = 0;
        Instant effectiveAt = null;
        if (effective == Effective.NOW) {
            fee = cycle.share(plan.price().recurringFee().minus(current.recurringFee()));
            dataKb = cycle.share(Math.max(0, plan.dataMb() - currentPlan.dataMb()) * 1024);
            minutes = cycle.share(Math.max(0, plan.voiceMinutes() - currentPlan.voiceMinutes()));
            sms = cycle.share(Math.max(0, plan.smsCount() - currentPlan.smsCount()));
        } else {
            effectiveAt = cycle.next();
        }
        long id = insertOrder(placement, line.id(), fee, now);
        if (effectiveAt != null) {
            jdbc.sql("update product_order set effective_at = ? where id = ?").params(Timestamp.from(effectiveAt), id).update();
        }
        insertItem(id, Order.Action.ADD, plan.id(), null, fee, plan.price().recurringFee(), dataKb, minutes, sms);
        insertItem(id, Order.Action.DELETE, current.offeringId(), current.id(), Money.ZERO, current.recurringFee(), 0, 0, 0);
        event(id, now, Order.Step.QUOTED, fee.display());
        sendCode(id, placement.customerId());
        return get(placement.customerId(), id);
    }

    /**
     * The second confirmation. A right code moves the order on: eligibility, then the fee through the
     * ledger (the order id is its business key), then provisioning. A wrong or expired code changes
     * nothing but the code's own count of tries.
     */
    @Transactional
    public Confirmation confirm(long customerId, long orderId, String code) {
        Order order = lock(customerId, orderId);
        Instant now = clock.instant();
        if (order.state() != OrderState.PENDING) {
            throw new BusinessRuleException("order.not-pending", "order " + orderId + " is " + order.state() + ", not waiting for confirmation");
        }
        if (!order.confirmBy().isAfter(now)) {
            lapse(orderId, now);
            return new Confirmation(get(customerId, orderId), OneTimeCodes.Outcome.EXPIRED);
        }
        long userId = subscriberUser(customerId);
        OneTimeCodes.Outcome outcome = codes.verify(userId, CODE_PURPOSE + orderId, code == null ? "" : code.trim());
        if (outcome != OneTimeCodes.Outcome.ACCEPTED) {
            event(orderId, now, Order.Step.CONFIRMATION_REFUSED, outcome.name().toLowerCase(Locale.ROOT));
            return new Confirmation(get(customerId, orderId), outcome);
        }
        jdbc.sql("update product_order set state = 'ACKNOWLEDGED', confirmed_at = ? where id = ?").params(Timestamp.from(now), orderId).update();
        event(orderId, now, Order.Step.CONFIRMED, null);

        String refusal = ineligibility(order, now);
        if (refusal != null) {
            jdbc.sql("update product_order set state = 'FAILED', failure_reason = ?, completed_at = ? where id = ?")
                    .params(refusal, Timestamp.from(now), orderId).update();
            event(orderId, now, Order.Step.REJECTED, refusal);
            releaseNumber(order);
            return new Confirmation(get(customerId, orderId), outcome);
        }
        event(orderId, now, Order.Step.ELIGIBLE, null);
        if (order.fee().isPositive()) {
            Offering first = catalog.get(order.items().get(0).offeringId());
            Ledger.Result charged = ledger.charge(new Posting(customerId, order.fee(), feeKey(orderId),
                    switch (first.kind()) {
                        case PACK -> ReasonCodes.PACK_FEE;
                        case PLAN -> ReasonCodes.PLAN_FEE;
                        case SERVICE -> ReasonCodes.SERVICE_FEE;
                    },
                    first.nameZh() + " (订单 " + orderId + ")"), "ORDER_FEE");
            event(orderId, now, Order.Step.CHARGED, order.fee().display() + " → " + charged.balanceAfter().display());
        }
        // a change from a later date waits in progress until then, and may still be cancelled
        Instant due = order.isScheduled(now) ? order.effectiveAt() : now;
        jdbc.sql("update product_order set state = 'IN_PROGRESS', next_attempt_at = ? where id = ?").params(Timestamp.from(due), orderId).update();
        event(orderId, now, order.isScheduled(now) ? Order.Step.SCHEDULED : Order.Step.PROVISIONING, null);
        return new Confirmation(get(customerId, orderId), outcome);
    }

    /**
     * Withdraws an order still waiting for confirmation, or a confirmed change still waiting for the
     * date it takes effect. Nothing was changed yet; a fee already paid is refunded.
     */
    @Transactional
    public Order cancel(long customerId, long orderId) {
        Order order = lock(customerId, orderId);
        Instant now = clock.instant();
        boolean scheduled = order.state() == OrderState.IN_PROGRESS && order.isScheduled(now);
        if (order.state() != OrderState.PENDING && !scheduled) {
            throw new BusinessRuleException("order.not-pending", "order " + orderId + " is " + order.state() + " and can no longer be withdrawn");
        }
        if (scheduled && order.fee().isPositive()) {
            Ledger.Result refund = ledger.credit(new Posting(customerId, order.fee(), refundKey(orderId), ReasonCodes.REFUND,
                    "订单 " + orderId + " 取消退款"), "ORDER_REFUND");
            event(orderId, now, Order.Step.REFUNDED, order.fee().display() + " → " + refund.balanceAfter().display());
        }
        jdbc.sql("update product_order set state = 'CANCELLED', completed_at = ?, next_attempt_at = null where id = ?")
                .params(Timestamp.from(now), orderId).update();
        event(orderId, now, Order.Step.CANCELLED, "order.reason.withdrawn");
        releaseNumber(order);
        return get(customerId, orderId);
    }

    /** The open plan change of a line waiting for its date, if any: what the plan page offers to cancel. */
    public java.util.Optional<Order> scheduledChangeOf(long customerId, long lineId) {
        Instant now = clock.instant();
        return jdbc.sql("""
                select * from product_order where customer_id = ? and line_id = ? and state = 'IN_PROGRESS' and effective_at > ?
                 order by id desc limit 1
                """).params(customerId, lineId, Timestamp.from(now)).query(Orders::row).optional().map(this::complete);
    }

    /** A fresh code for an order still waiting for confirmation (the usual one-a-minute limit applies). */
    @Transactional
    public Instant resendCode(long customerId, long orderId) {
        Order order = get(customerId, orderId);
        if (order.state() != OrderState.PENDING) {
            throw new BusinessRuleException("order.not-pending", "order " + orderId + " is not waiting for confirmation");
        }
        return sendCode(orderId, customerId);
    }

    /** When the order's confirmation code expires, while one is waiting. */
    public java.util.Optional<Instant> codeExpiry(long customerId, long orderId) {
        return codes.expiryOf(subscriberUser(customerId), CODE_PURPOSE + orderId);
    }

    /** "I need more time": five more minutes for the waiting code, up to the codes' maximum lifetime. */
    @Transactional
    public java.util.Optional<Instant> extendCode(long customerId, long orderId) {
        get(customerId, orderId);
        return codes.extend(subscriberUser(customerId), CODE_PURPOSE + orderId);
    }

    /** Any customer's order, for staff at the counter (the caller checks the role and audits the access). */
    public Order getForStaff(long orderId) {
        long customerId = jdbc.sql("select customer_id from product_order where id = ?").param(orderId).query(Long.class).optional()
                .orElseThrow(() -> new NotFoundException("no order " + orderId));
        return get(customerId, orderId);
    }

    public Order get(long customerId, long orderId) {
        return find(customerId, orderId).orElseThrow(() -> new NotFoundException("no order " + orderId));
    }

    public java.util.Optional<Order> find(long customerId, long orderId) {
        return jdbc.sql("select * from product_order where id = ? and customer_id = ?").params(orderId, customerId)
                .query(Orders::row).optional().map(this::complete);
    }

    /** The customer's orders, newest first, every channel together. */
    public List<Order> ofCustomer(long customerId, int offset, int limit) {
        return jdbc.sql("select * from product_order where customer_id = ? order by created_at desc, id desc offset ? limit ?")
                .params(customerId, offset, limit).query(Orders::row).list().stream().map(this::complete).toList();
    }

    public long countOf(long customerId) {
        return jdbc.sql("select count(*) from product_order where customer_id = ?").param(customerId).query(Long.class).single();
    }

    static String feeKey(long orderId) {
        return "order:" + orderId + ":fee";
    }

    static String refundKey(long orderId) {
        return "order:" + orderId + ":refund";
    }

    // ---- inside the module

    Order lock(long customerId, long orderId) {
        jdbc.sql("select id from product_order where id = ? and customer_id = ? for update").params(orderId, customerId)
                .query(Long.class).optional().orElseThrow(() -> new NotFoundException("no order " + orderId));
        return get(customerId, orderId);
    }

    void event(long orderId, Instant at, Order.Step step, String detail) {
        jdbc.sql("insert into order_event (order_id, at, step, detail) values (?, ?, ?, ?)")
                .params(orderId, Timestamp.from(at), step.name(), detail).update();
    }

    void lapse(long orderId, Instant now) {
        int changed = jdbc.sql("update product_order set state = 'CANCELLED', completed_at = ? where id = ? and state = 'PENDING'")
                .params(Timestamp.from(now), orderId).update();
        if (changed == 1) {
            event(orderId, now, Order.Step.CANCELLED, "order.reason.lapsed");
            releaseNumber(getForStaff(orderId));
        }
    }

    private Instant sendCode(long orderId, long customerId) {
        Accounts.SubscriberLogin login = accounts.subscriberLoginOf(customerId)
                .orElseThrow(() -> new BusinessRuleException("order.no-login", "the customer has no login to confirm with"));
        Instant expires = codes.send(login.userId(), CODE_PURPOSE + orderId, login.msisdn(), login.locale());
        event(orderId, clock.instant(), Order.Step.CODE_SENT, org.telehall.shared.Msisdn.maskNumber(login.msisdn()));
        return expires;
    }

    private long subscriberUser(long customerId) {
        return accounts.subscriberLoginOf(customerId).orElseThrow(() -> new NotFoundException("no login for customer " + customerId)).userId();
    }

    private boolean holds(long lineId, String offeringId, Instant now) {
        return inventory.inForce(lineId, now).stream().anyMatch(p -> p.offeringId().equals(offeringId));
    }

    /** Two open orders may not add the same offering to a line, nor end the same product. */
    private void refuseConflicts(long lineId, List<String> addingOfferings, List<Long> endingProducts) {
        boolean conflict = jdbc.sql("""
                select exists (select 1 from product_order o join product_order_item i on i.order_id = o.id
                                where o.line_id = :line and o.state in ('PENDING', 'ACKNOWLEDGED', 'IN_PROGRESS')
                                  and ((i.action = 'ADD' and i.offering_id in (:offerings))
                                    or (i.action in ('DELETE', 'RENEW') and i.product_id in (:products))))
                """).param("line", lineId)
                .param("offerings", addingOfferings.isEmpty() ? List.of("") : addingOfferings)
                .param("products", endingProducts.isEmpty() ? List.of(-1L) : endingProducts)
                .query(Boolean.class).single();
        if (conflict) {
            throw new BusinessRuleException("order.conflict", "another open order already changes this on the line");
        }
    }

    /** Why the order cannot go ahead (a message key), or null when it can. */
    private String ineligibility(Order order, Instant now) {
        if (order.isNewLine()) {
            String refusal = newLineIneligibility(order, now);
            if (refusal != null) {
                return refusal;
            }
        } else {
            String refusal = lineIneligibility(order);
            if (refusal != null) {
                return refusal;
            }
        }
        for (Order.Item item : order.items()) {
            if (item.action() != Order.Action.ADD) {
                Product p = inventory.ofCustomer(order.customerId(), item.productId());
                if (p.status() == ProductStatus.TERMINATED || (p.endsAt() != null && !p.endsAt().isAfter(now))) {
                    return "order.reason.already-ended";
                }
            } else if (!catalog.find(item.offeringId()).map(Offering::onSale).orElse(false)) {
                return "order.reason.not-on-sale";
            }
        }
        Money available = ledger.balanceOf(order.customerId()).plus(ledger.creditLimitOf(order.customerId()));
        if (order.fee().compareTo(available) > 0) {
            return "order.reason.balance";
        }
        return null;
    }

    /** The person may still open a line (the limit may have filled meanwhile), and the number is still theirs to take. */
    private String newLineIneligibility(Order order, Instant now) {
        RealNameOnOrder person = realNameOf(order.id());
        org.telehall.customer.RealNameCheck.Result check = realName.check(order.customerId(), person.name(), person.idNumber());
        if (check.equals(org.telehall.customer.RealNameCheck.Result.TOO_MANY_LINES)) {
            return "order.reason.too-many-lines";
        }
        if (!check.ok()) {
            return "order.reason.real-name";
        }
        try {
            // held again for the time the network takes
            numbers.hold(order.customerId(), new org.telehall.shared.Msisdn(order.newMsisdn()), now);
        } catch (BusinessRuleException e) {
            return "order.reason.number-gone";
        }
        return null;
    }

    private String lineIneligibility(Order order) {
        Line line = customers.lineOf(order.customerId(), order.lineId());
        boolean simOnly = order.items().stream().allMatch(i -> catalog.get(i.offeringId()).isSimReplacement());
        // a lost SIM is often reported (and the line suspended) before the new one is ordered
        if (line.status() != LineStatus.ACTIVE && !(simOnly && line.status() == LineStatus.SUSPENDED)) {
            return "order.reason.line-not-active";
        }
        if (!customers.get(order.customerId()).realNameVerified()) {
            return "order.reason.real-name";
        }
        return null;
    }

    private long insertOrder(Placement p, long lineId, Money fee, Instant now) {
        return jdbc.sql("""
                insert into product_order (customer_id, line_id, channel, placed_by_user_id, state, fee_fen, created_at, confirm_by)
                values (?, ?, ?, ?, 'PENDING', ?, ?, ?) returning id
                """).params(p.customerId(), lineId, p.channel().name(), p.placedByUserId(), fee.fen(), Timestamp.from(now),
                        Timestamp.from(now.plus(CONFIRM_WITHIN)))
                .query(Long.class).single();
    }

    private void insertItem(long orderId, Order.Action action, String offeringId, Long productId, Money fee, Money monthly,
                            long grantDataKb, long grantVoiceMinutes, long grantSms) {
        insertItem(orderId, action, offeringId, productId, fee, monthly, grantDataKb, grantVoiceMinutes, grantSms, null);
    }

    private void insertItem(long orderId, Order.Action action, String offeringId, Long productId, Money fee, Money monthly,
                            long grantDataKb, long grantVoiceMinutes, long grantSms, String detail) {
        jdbc.sql("""
                insert into product_order_item (order_id, action, offering_id, product_id, fee_fen, monthly_fen,
                                                grant_data_kb, grant_voice_minutes, grant_sms, detail)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """).params(orderId, action.name(), offeringId, productId, fee.fen(), monthly.fen(), grantDataKb, grantVoiceMinutes, grantSms,
                        detail).update();
    }

    private Order complete(Order bare) {
        List<Order.Item> items = jdbc.sql("select * from product_order_item where order_id = ? order by id").param(bare.id())
                .query((rs, n) -> new Order.Item(rs.getLong("id"), Order.Action.valueOf(rs.getString("action")), rs.getString("offering_id"),
                        (Long) rs.getObject("product_id"), Money.ofFen(rs.getLong("fee_fen")), Money.ofFen(rs.getLong("monthly_fen")),
                        rs.getLong("grant_data_kb"), rs.getLong("grant_voice_minutes"), rs.getLong("grant_sms"), rs.getString("detail")))
                .list();
        List<Order.Event> events = jdbc.sql("select * from order_event where order_id = ? order by at, id").param(bare.id())
                .query((rs, n) -> new Order.Event(rs.getTimestamp("at").toInstant(), Order.Step.valueOf(rs.getString("step")), rs.getString("detail")))
                .list();
        return new Order(bare.id(), bare.customerId(), bare.lineId(), bare.channel(), bare.placedByUserId(), bare.state(), bare.fee(),
                bare.createdAt(), bare.confirmBy(), bare.confirmedAt(), bare.completedAt(), bare.failureReason(), bare.effectiveAt(), bare.newMsisdn(),
                items, events);
    }

    private static Order row(ResultSet rs, int n) throws SQLException {
        return new Order(rs.getLong("id"), rs.getLong("customer_id"), rs.getLong("line_id"), OrderChannel.valueOf(rs.getString("channel")),
                rs.getLong("placed_by_user_id"), OrderState.valueOf(rs.getString("state")), Money.ofFen(rs.getLong("fee_fen")),
                instant(rs, "created_at"), instant(rs, "confirm_by"), instant(rs, "confirmed_at"), instant(rs, "completed_at"),
                rs.getString("failure_reason"), instant(rs, "effective_at"), rs.getString("new_msisdn"), List.of(), List.of());
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
