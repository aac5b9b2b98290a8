package org.telehall.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.catalog.Offering;
import org.telehall.shared.NotFoundException;

/** A line's allowance buckets in force. */
@Service
public class Allowances {

    private final JdbcClient jdbc;

    Allowances(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Buckets valid at {@code now}, in the order rating consumes them: packs nearest expiry first, rolled-over data, then the plan. */
    public List<Bucket> bucketsInForce(long lineId, Instant now) {
        return jdbc.sql("""
                select * from bucket where line_id = :line and valid_from <= :now and valid_to > :now
                 order by kind, case source when 'PACK' then 0 when 'ROLLOVER' then 1 else 2 end, valid_to, id
                """).param("line", lineId).param("now", Timestamp.from(now)).query(Allowances::map).list();
    }

    /** Data, voice and SMS totals for the line now, each kind present even when it has no bucket. */
    public Map<UsageType, Allowance> summary(long lineId, Instant now) {
        Map<UsageType, List<Bucket>> byKind = new EnumMap<>(UsageType.class);
        for (UsageType t : UsageType.values()) {
            byKind.put(t, new ArrayList<>());
        }
        bucketsInForce(lineId, now).forEach(b -> byKind.get(b.kind()).add(b));
        Map<UsageType, Allowance> summary = new EnumMap<>(UsageType.class);
        byKind.forEach((kind, buckets) -> summary.put(kind, new Allowance(kind,
                buckets.stream().mapToLong(Bucket::initial).sum(),
                buckets.stream().mapToLong(Bucket::used).sum(), List.copyOf(buckets))));
        return summary;
    }

    /** One bucket on one of the given lines, or 404. */
    public Bucket onLines(List<Long> lineIds, long bucketId) {
        if (lineIds.isEmpty()) {
            throw new NotFoundException("no bucket " + bucketId);
        }
        return jdbc.sql("select * from bucket where id = :id and line_id in (:lines)")
                .param("id", bucketId).param("lines", lineIds).query(Allowances::map).optional()
                .orElseThrow(() -> new NotFoundException("no bucket " + bucketId));
    }

    /** The buckets a pack brings to a line: its data, minutes and messages, valid while the pack is. */
    @Transactional
    public List<Bucket> grant(long lineId, long productId, Offering pack, Instant from, Instant to) {
        List<Bucket> granted = new ArrayList<>();
        grantOne(granted, lineId, productId, pack.id(), "PACK", UsageType.DATA, pack.dataMb() * 1024, from, to);
        grantOne(granted, lineId, productId, pack.id(), "PACK", UsageType.VOICE, pack.voiceMinutes(), from, to);
        grantOne(granted, lineId, productId, pack.id(), "PACK", UsageType.SMS, pack.smsCount(), from, to);
        return granted;
    }

    /**
     * Plan allowance for part of a cycle: the extra a mid-cycle upgrade brings for the days left, or
     * a new plan's allowance for its first cycle. Amounts: data in KB, voice in minutes, SMS in messages.
     */
    @Transactional
    public List<Bucket> grantPlanAllowance(long lineId, long productId, String planOfferingId, long dataKb, long voiceMinutes,
                                           long sms, Instant from, Instant to) {
        List<Bucket> granted = new ArrayList<>();
        grantOne(granted, lineId, productId, planOfferingId, "PLAN", UsageType.DATA, dataKb, from, to);
        grantOne(granted, lineId, productId, planOfferingId, "PLAN", UsageType.VOICE, voiceMinutes, from, to);
        grantOne(granted, lineId, productId, planOfferingId, "PLAN", UsageType.SMS, sms, from, to);
        return granted;
    }

    /**
     * A plan's allowance for the whole cycle starting at {@code cycleStart}, for a plan in force from then on.
     * When the cycle's renewal ({@link AllowanceCycles}) has already put the previous plan's allowance in place,
     * it becomes this plan's (what was used of it stays used); when the cycle has no plan allowance yet, it is
     * granted if {@code grantIfNone}. Done under the line's renewal and rating locks, so a batch being rated never
     * sees the amounts change under it and the renewal and a plan change never both grant the cycle.
     */
    @Transactional
    public void planAllowanceForCycle(long lineId, long productId, String planOfferingId, long dataKb, long voiceMinutes, long sms,
                                      Instant cycleStart, Instant cycleEnd, boolean grantIfNone) {
        // the renewal's lock first (the job takes only those), then rating's (rating takes only those): no lock cycle
        jdbc.sql("select pg_advisory_xact_lock(?, ?), pg_advisory_xact_lock(?, ?)")
                .params(AllowanceCycles.RENEW_LOCK_SPACE, Rating.lockStripe(lineId), Rating.LOCK_SPACE, Rating.lockStripe(lineId))
                .query((rs, n) -> 1).single();
        Map<UsageType, Long> existing = new EnumMap<>(UsageType.class);
        jdbc.sql("select kind, id from bucket where line_id = ? and source = 'PLAN' and valid_from = ? order by id")
                .params(lineId, Timestamp.from(cycleStart))
                .query(rs -> {
                    existing.putIfAbsent(UsageType.valueOf(rs.getString(1)), rs.getLong(2));
                });
        if (existing.isEmpty()) {
            if (grantIfNone) {
                grantPlanAllowance(lineId, productId, planOfferingId, dataKb, voiceMinutes, sms, cycleStart, cycleEnd);
            }
            return;
        }
        Map<UsageType, Long> amounts = Map.of(UsageType.DATA, dataKb, UsageType.VOICE, voiceMinutes, UsageType.SMS, sms);
        for (UsageType kind : UsageType.values()) {
            long amount = amounts.get(kind);
            Long bucketId = existing.get(kind);
            if (bucketId != null) {
                jdbc.sql("""
                        update bucket set initial_amount = greatest(?, used_amount), product_id = ?, offering_id = ?, valid_to = ?
                         where id = ?
                        """).params(amount, productId, planOfferingId, Timestamp.from(cycleEnd), bucketId).update();
            } else {
                grantOne(new ArrayList<>(), lineId, productId, planOfferingId, "PLAN", kind, amount, cycleStart, cycleEnd);
            }
        }
    }

    /** Ends a product's buckets at {@code at} (a pack cancelled or replaced). */
    public void endOf(long productId, Instant at) {
        jdbc.sql("update bucket set valid_to = greatest(valid_from + interval '1 microsecond', least(valid_to, :at)) where product_id = :p")
                .param("at", Timestamp.from(at)).param("p", productId).update();
    }

    private void grantOne(List<Bucket> granted, long lineId, long productId, String offeringId, String source, UsageType kind,
                          long amount, Instant from, Instant to) {
        if (amount <= 0) {
            return;
        }
        granted.add(jdbc.sql("""
                insert into bucket (line_id, kind, source, product_id, offering_id, initial_amount, valid_from, valid_to)
                values (?, ?, ?, ?, ?, ?, ?, ?) returning *
                """).params(lineId, kind.name(), source, productId, offeringId, amount, Timestamp.from(from), Timestamp.from(to))
                .query(Allowances::map).single());
    }

    static Bucket map(ResultSet rs, int row) throws SQLException {
        return new Bucket(rs.getLong("id"), rs.getLong("line_id"), UsageType.valueOf(rs.getString("kind")),
                rs.getString("source"), (Long) rs.getObject("product_id"), rs.getString("offering_id"),
                rs.getLong("initial_amount"), rs.getLong("used_amount"),
                rs.getTimestamp("valid_from").toInstant(), rs.getTimestamp("valid_to").toInstant());
    }
}
