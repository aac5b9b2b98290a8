package org.telehall.usage;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.telehall.shared.Money;
import org.telehall.shared.NotFoundException;

/** The rated usage records (详单) of a line; the last 6 months are always online. */
@Service
public class UsageRecords {

    public static final int MONTHS_ONLINE = 6;
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private final JdbcClient jdbc;

    UsageRecords(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** The months a user may pick, newest first: this month and the 5 before it. */
    public static List<YearMonth> monthsOnline(YearMonth current) {
        return java.util.stream.IntStream.range(0, MONTHS_ONLINE).mapToObj(current::minusMonths).toList();
    }

    public List<UsageRecord> find(UsageQuery q) {
        return jdbc.sql("select * from usage_record " + where(q) + " order by started_at desc, id desc offset :offset limit :limit")
                .params(params(q)).param("offset", q.offset()).param("limit", q.limit())
                .query(UsageRecords::map).list();
    }

    /** Every record of one line in one month, oldest first: the 详单 as a statement (export, bill check). */
    public List<UsageRecord> allInMonth(long lineId, YearMonth month) {
        UsageQuery q = new UsageQuery(lineId, month, null, 0, Integer.MAX_VALUE);
        return jdbc.sql("select * from usage_record " + where(q) + " order by started_at, id")
                .params(params(q)).query(UsageRecords::map).list();
    }

    public long count(UsageQuery q) {
        return jdbc.sql("select count(*) from usage_record " + where(q)).params(params(q)).query(Long.class).single();
    }

    /** A record on one of the given lines, or 404: another customer's record is indistinguishable from none. */
    public UsageRecord onLines(List<Long> lineIds, long recordId) {
        if (lineIds.isEmpty()) {
            throw new NotFoundException("no usage " + recordId);
        }
        return jdbc.sql("select * from usage_record where id = :id and line_id in (:lines)")
                .param("id", recordId).param("lines", lineIds).query(UsageRecords::map).optional()
                .orElseThrow(() -> new NotFoundException("no usage " + recordId));
    }

    /** What a line used at home in one calendar month: data in KB, voice in billed minutes (each call rounded up), SMS sent. */
    public record MonthTotals(YearMonth month, long dataKb, long voiceMinutes, long smsCount) {
    }

    /** Domestic totals per month for the given months (roaming is priced by zone, not by the plan). */
    public List<MonthTotals> monthTotals(long lineId, List<YearMonth> months) {
        return months.stream().map(m -> {
            UsageQuery q = new UsageQuery(lineId, m, null, 0, 1);
            return jdbc.sql("""
                    select coalesce(sum(volume_kb) filter (where usage_type = 'DATA'), 0),
                           coalesce(sum((duration_sec + 59) / 60) filter (where usage_type = 'VOICE' and direction = 'OUT'), 0),
                           count(*) filter (where usage_type = 'SMS' and direction = 'OUT')
                      from usage_record""" + " " + where(q) + " and roaming_country is null")
                    .params(params(q))
                    .query((rs, n) -> new MonthTotals(m, rs.getLong(1), rs.getLong(2), rs.getLong(3))).single();
        }).toList();
    }

    private static String where(UsageQuery q) {
        return "where line_id in (:lines) and started_at >= :from and started_at < :to" + (q.type() == null ? "" : " and usage_type = :type");
    }

    private static java.util.Map<String, Object> params(UsageQuery q) {
        java.util.Map<String, Object> p = new java.util.HashMap<>();
        p.put("lines", q.lineIds());
        p.put("from", Timestamp.from(q.month().atDay(1).atStartOfDay(ZONE).toInstant()));
        p.put("to", Timestamp.from(q.month().plusMonths(1).atDay(1).atStartOfDay(ZONE).toInstant()));
        if (q.type() != null) {
            p.put("type", q.type().name());
        }
        return p;
    }

    static UsageRecord map(ResultSet rs, int row) throws SQLException {
        return new UsageRecord(rs.getLong("id"), rs.getString("network_id"), rs.getLong("line_id"),
                UsageType.valueOf(rs.getString("usage_type")), rs.getString("direction"),
                rs.getTimestamp("started_at").toInstant(), rs.getString("other_party"), rs.getInt("duration_sec"),
                rs.getLong("volume_kb"), rs.getString("roaming_country"), Money.ofFen(rs.getLong("charge_fen")));
    }
}
