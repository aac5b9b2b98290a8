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

    /** Buckets valid at {@code now}, in the order rating consumes them: packs nearest expiry first, then the plan. */
    public List<Bucket> bucketsInForce(long lineId, Instant now) {
        return jdbc.sql("""
                select * from bucket where line_id = :line and valid_from <= :now and valid_to > :now
                 order by kind, case source when 'PACK' then 0 else 1 end, valid_to, id
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

    /** Whether the line has plan allowance starting at or after {@code from} (a cycle already rolled over). */
    public boolean hasPlanAllowanceFrom(long lineId, Instant from) {
        return jdbc.sql("select exists (select 1 from bucket where line_id = ? and source = 'PLAN' and valid_from >= ?)")
                .params(lineId, Timestamp.from(from)).query(Boolean.class).single();
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
