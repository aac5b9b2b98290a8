package org.telehall.inventory;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.catalog.Offering;
import org.telehall.catalog.OfferingKind;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;

/** What lines hold, read side. Every read is scoped to the customer who owns the line. */
@Service
public class Inventory {

    private final JdbcClient jdbc;

    Inventory(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Products in force on a line (plan, unexpired packs, services), plan first. */
    public List<Product> inForce(long lineId, Instant now) {
        return jdbc.sql("""
                select * from product
                 where line_id = :line and status <> 'TERMINATED' and (ends_at is null or ends_at > :now)
                 order by case kind when 'PLAN' then 0 when 'PACK' then 1 else 2 end, ends_at nulls last, id
                """)
                .param("line", lineId).param("now", Timestamp.from(now))
                .query(Inventory::map).list();
    }

    public Optional<Product> planOf(long lineId, Instant now) {
        return inForce(lineId, now).stream().filter(p -> p.kind() == OfferingKind.PLAN).findFirst();
    }

    /** The plan (offering id) in force at {@code at} on each of the lines, in one query; lines with none are absent. */
    public java.util.Map<Long, String> planOfferings(java.util.Collection<Long> lineIds, Instant at) {
        java.util.Map<Long, String> plans = new java.util.HashMap<>();
        if (lineIds.isEmpty()) {
            return plans;
        }
        jdbc.sql("""
                select line_id, offering_id from product
                 where line_id = any(:lines) and kind = 'PLAN' and status <> 'TERMINATED'
                   and started_at <= :at and (ends_at is null or ends_at > :at)
                """).param("lines", lineIds.stream().mapToLong(Long::longValue).toArray()).param("at", Timestamp.from(at))
                .query(rs -> {
                    plans.put(rs.getLong(1), rs.getString(2));
                });
        return plans;
    }

    /** Every product the customer holds or held, newest first (the TMF637 inventory). */
    public List<Product> ofCustomer(long customerId) {
        return jdbc.sql("select * from product where customer_id = ? order by started_at desc, id desc")
                .param(customerId).query(Inventory::map).list();
    }

    public Product ofCustomer(long customerId, long productId) {
        return jdbc.sql("select * from product where id = ? and customer_id = ?").params(productId, customerId)
                .query(Inventory::map).optional()
                .orElseThrow(() -> new NotFoundException("no product " + productId));
    }

    /**
     * Adds a pack or service to a line as the catalogue prices it now: a pack runs for its validity,
     * a service starts with its free trial (if any) and renews monthly until cancelled.
     */
    @Transactional
    public Product add(long customerId, long lineId, Offering offering, Instant now) {
        if (offering.kind() == OfferingKind.PLAN) {
            throw new IllegalArgumentException("a plan is changed, not added: " + offering.id());
        }
        Instant endsAt = offering.kind() == OfferingKind.PACK && offering.validityDays() != null
                ? now.plus(Duration.ofDays(offering.validityDays())) : null;
        Instant trialEndsAt = offering.kind() == OfferingKind.SERVICE && offering.trialDays() > 0
                ? now.plus(Duration.ofDays(offering.trialDays())) : null;
        long id = jdbc.sql("""
                insert into product (customer_id, line_id, offering_id, kind, status, started_at, ends_at, trial_ends_at,
                                     auto_renew, recurring_fee_fen, one_time_fee_fen)
                values (:customer, :line, :offering, :kind, 'ACTIVE', :now, :ends, :trial, :renew, :recurring, :oneTime)
                returning id
                """).param("customer", customerId).param("line", lineId).param("offering", offering.id())
                .param("kind", offering.kind().name()).param("now", Timestamp.from(now))
                .param("ends", endsAt == null ? null : Timestamp.from(endsAt))
                .param("trial", trialEndsAt == null ? null : Timestamp.from(trialEndsAt))
                // a service on a free trial ends with the trial unless the customer renews it
                .param("renew", offering.kind() == OfferingKind.SERVICE && trialEndsAt == null)
                .param("recurring", offering.price().recurringFee().fen()).param("oneTime", offering.price().oneTimeFee().fen())
                .query(Long.class).single();
        return ofCustomer(customerId, id);
    }

    /**
     * Puts a new plan on the line from {@code at}: the plan in force ends then (a line holds exactly
     * one plan, which the database enforces) and the new one starts, at its catalogue price.
     */
    @Transactional
    public Product replacePlan(long customerId, long lineId, Offering plan, Instant at) {
        if (plan.kind() != OfferingKind.PLAN) {
            throw new IllegalArgumentException("not a plan: " + plan.id());
        }
        jdbc.sql("""
                update product set status = 'TERMINATED', ends_at = :at, auto_renew = false
                 where line_id = :line and customer_id = :customer and kind = 'PLAN' and status <> 'TERMINATED'
                """).param("at", Timestamp.from(at)).param("line", lineId).param("customer", customerId).update();
        long id = jdbc.sql("""
                insert into product (customer_id, line_id, offering_id, kind, status, started_at, auto_renew, recurring_fee_fen)
                values (?, ?, ?, 'PLAN', 'ACTIVE', ?, true, ?) returning id
                """).params(customerId, lineId, plan.id(), Timestamp.from(at), plan.price().recurringFee().fen())
                .query(Long.class).single();
        return ofCustomer(customerId, id);
    }

    /** A service in its trial goes on after it (the customer renewed); false when it was not in trial or already ended. */
    @Transactional
    public boolean keepAfterTrial(long customerId, long productId, Instant now) {
        return jdbc.sql("""
                update product set auto_renew = true
                 where id = ? and customer_id = ? and status = 'ACTIVE' and trial_ends_at > ?
                """).params(productId, customerId, Timestamp.from(now)).update() == 1;
    }

    /** Active products that renew by themselves, in id order after {@code afterId}: for renewal reminders, a page at a time. */
    public List<Product> autoRenewing(long afterId, int limit) {
        return jdbc.sql("select * from product where status = 'ACTIVE' and auto_renew and id > ? order by id limit ?")
                .params(afterId, limit).query(Inventory::map).list();
    }

    /** Unrenewed trials ending before {@code until} whose reminder is not yet sent. */
    public List<Product> trialsToRemind(Instant until, int limit) {
        return jdbc.sql("""
                select * from product where status = 'ACTIVE' and trial_ends_at <= ? and not auto_renew and trial_reminded_at is null
                 order by trial_ends_at limit ?
                """).params(Timestamp.from(until), limit).query(Inventory::map).list();
    }

    /** Unrenewed trials that have run out by {@code now}: the services to end. */
    public List<Product> trialsRunOut(Instant now, int limit) {
        return jdbc.sql("""
                select * from product where status = 'ACTIVE' and trial_ends_at <= ? and not auto_renew
                 order by trial_ends_at limit ?
                """).params(Timestamp.from(now), limit).query(Inventory::map).list();
    }

    /** Marks the trial reminder sent; false when it already was (so each trial is reminded once, whatever the nodes). */
    @Transactional
    public boolean markTrialReminded(long productId, Instant at) {
        return jdbc.sql("update product set trial_reminded_at = ? where id = ? and trial_reminded_at is null")
                .params(Timestamp.from(at), productId).update() == 1;
    }

    /** Ends one of the customer's products at {@code at}; returns false when it had already ended. */
    @Transactional
    public boolean terminate(long customerId, long productId, Instant at) {
        return jdbc.sql("""
                update product set status = 'TERMINATED', ends_at = least(coalesce(ends_at, :at), :at), auto_renew = false
                 where id = :id and customer_id = :customer and status <> 'TERMINATED'
                """).param("at", Timestamp.from(at)).param("id", productId).param("customer", customerId).update() == 1;
    }

    static Product map(ResultSet rs, int row) throws SQLException {
        return new Product(rs.getLong("id"), rs.getLong("customer_id"), rs.getLong("line_id"), rs.getString("offering_id"),
                OfferingKind.valueOf(rs.getString("kind")), ProductStatus.valueOf(rs.getString("status")),
                instant(rs, "started_at"), instant(rs, "ends_at"), instant(rs, "trial_ends_at"),
                rs.getBoolean("auto_renew"), Money.ofFen(rs.getLong("recurring_fee_fen")), Money.ofFen(rs.getLong("one_time_fee_fen")));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
