package org.telehall.billing;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.notify.Sms;
import org.telehall.shared.Money;

/**
 * The bill run: for every customer account whose billing cycle has closed by {@code day}, the
 * bill of that cycle. Set-based: one INSERT…SELECT per chunk of customers, each chunk its own
 * transaction, so a crash loses at most the chunk in flight and a rerun carries on where it
 * stopped. The unique key (customer, cycle) makes every bill exactly once, whoever runs it and
 * how often; the daily job also takes a ShedLock lock so only one node does the work.
 *
 * <p>It reads the customer, ledger and line tables directly (never writes them): billing 100,000
 * accounts one API call at a time would take the run from seconds to hours.
 */
@Service
public class BillRun {

    private static final Logger log = LoggerFactory.getLogger(BillRun.class);
    static final int CHUNK = 2000;
    private static final int NOTICE_BATCH = 500;

    /** What a run did: bills issued now, and bill-ready messages sent. */
    public record Result(int issued, int notified) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Sms sms;
    private final Clock clock;
    private final String baseUrl;

    BillRun(JdbcClient jdbc, TransactionTemplate tx, Sms sms, Clock clock,
            @Value("${telehall.base-url:http://localhost:8080}") String baseUrl) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.sms = sms;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    /**
     * Issues the bills of every cycle closed by {@code day} that has none yet; their messages wait
     * for {@link #sendNotices()} (the nightly run issues at night, the messages go by day).
     */
    public int issue(LocalDate day) {
        long started = System.nanoTime();
        int issued = issueChunks(day, null, CHUNK, chunks -> {
        });
        log.info("bill run for {}: {} bills issued in {} ms", day, issued, (System.nanoTime() - started) / 1_000_000);
        return issued;
    }

    /** Issues the bills of every cycle closed by {@code day} that has none yet, then sends the bill-ready messages not yet sent. */
    public Result run(LocalDate day) {
        return run(day, null, CHUNK, chunks -> {
        });
    }

    /** The run for some customers only (a customer moved to another cycle day, a re-run after a fix). */
    public Result runFor(LocalDate day, long... customerIds) {
        return run(day, customerIds, CHUNK, chunks -> {
        });
    }

    /**
     * Issues a past cycle's bills without messages: for importing history, when the customer was
     * told long ago (the demo's months of history).
     */
    public int issueHistory(LocalDate day) {
        long started = System.nanoTime();
        int issued = 0;
        long after = 0;
        while (true) {
            long[] chunk = nextChunk(day, after, null, CHUNK);
            if (chunk.length == 0) {
                log.info("history bills for {}: {} issued in {} ms", day, issued, (System.nanoTime() - started) / 1_000_000);
                return issued;
            }
            List<Long> ids = tx.execute(s -> {
                List<Long> made = issue(day, chunk, null);
                jdbc.sql("update bill set notified_at = issued_at where id = any(?)").param(made.stream().mapToLong(Long::longValue).toArray())
                        .update();
                return made;
            });
            issued += ids.size();
            after = chunk[chunk.length - 1];
        }
    }

    /**
     * The run over all customers ({@code only} null) or the given ones, in chunks of {@code chunkSize};
     * {@code afterChunk} hears the number of chunks committed so far (tests stop a run there).
     */
    Result run(LocalDate day, long[] only, int chunkSize, IntConsumer afterChunk) {
        long started = System.nanoTime();
        int issued = issueChunks(day, only, chunkSize, afterChunk);
        int notified = sendNotices();
        if (issued > 0 || notified > 0) {
            log.info("bill run for {}: {} bills issued, {} bill-ready messages in {} ms", day, issued, notified,
                    (System.nanoTime() - started) / 1_000_000);
        }
        return new Result(issued, notified);
    }

    private int issueChunks(LocalDate day, long[] only, int chunkSize, IntConsumer afterChunk) {
        int issued = 0;
        int chunks = 0;
        long after = 0;
        while (true) {
            long[] chunk = nextChunk(day, after, only, chunkSize);
            if (chunk.length == 0) {
                break;
            }
            Timestamp now = Timestamp.from(clock.instant());
            issued += tx.execute(s -> issue(day, chunk, now)).size();
            chunks++;
            after = chunk[chunk.length - 1];
            afterChunk.accept(chunks);
        }
        return issued;
    }

    /** The next customers after {@code after} (by id) whose cycle closed by {@code day} is still unbilled. */
    private long[] nextChunk(LocalDate day, long after, long[] only, int size) {
        return jdbc.sql("""
                select c.id from customer c
                  join ledger_account a on a.customer_id = c.id
                 where c.id > :after and (cast(:only as bigint[]) is null or c.id = any(cast(:only as bigint[])))
                   and not exists (select 1 from bill b where b.customer_id = c.id and b.cycle_start = %s)
                 order by c.id limit :size
                """.formatted(closedCycleStart()))
                .param("after", after).param("only", only).param("day", day).param("size", size)
                .query(Long.class).list().stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The first day of the last cycle closed by {@code :day} for a customer {@code c}: the cycle
     * containing the day starts on its cycle day this month, or last month if that is still ahead
     * (cycle days are 1–28, so every month has them).
     */
    private static String closedCycleStart() {
        return """
                (case when (date_trunc('month', cast(:day as date)) + (c.cycle_day - 1) * interval '1 day')::date <= cast(:day as date)
                      then (date_trunc('month', cast(:day as date)) + (c.cycle_day - 1) * interval '1 day' - interval '1 month')::date
                      else (date_trunc('month', cast(:day as date)) + (c.cycle_day - 1) * interval '1 day' - interval '2 months')::date end)""";
    }

    /**
     * One chunk's bills in one statement; returns the ids issued (none for customers billed meanwhile).
     * {@code issuedAt} null dates history bills as the nightly run after the cycle would have.
     */
    private List<Long> issue(LocalDate day, long[] customers, Timestamp issuedAt) {
        long watermark = jdbc.sql("select coalesce(max(id), 0) from journal_line").query(Long.class).single();
        return jdbc.sql("""
                with due as (
                    select c.id as customer_id, c.created_at, a.id as account_id, s.cycle_start,
                           (s.cycle_start + interval '1 month')::date as cycle_end,
                           s.cycle_start::timestamp at time zone 'Asia/Shanghai' as start_ts,
                           (s.cycle_start + interval '1 month')::timestamp at time zone 'Asia/Shanghai' as end_ts,
                           exists (select 1 from postpaid_account p where p.customer_id = c.id) as postpaid
                      from customer c
                      join ledger_account a on a.customer_id = c.id
                     cross join lateral (select %s as cycle_start) s
                     where c.id = any(:customers)
                ), sums as (
                    select d.customer_id, d.cycle_start, d.cycle_end, d.created_at, d.end_ts, d.postpaid, agg.*,
                           %s as total_fen
                      from due d cross join lateral (
                        select %s
                          from journal_line l join journal_entry e on e.id = l.entry_id
                         where l.account_id = d.account_id and l.posted_at < d.end_ts and l.id <= :watermark) agg
                ), billed as (
                    select s.*, s.opening_balance_fen + s.payments_fen - s.total_fen as closing_balance_fen,
                           coalesce(cast(:issuedAt as timestamptz), s.end_ts + interval '20 minutes') as issued_at
                      from sums s
                     where s.created_at < s.end_ts or s.movements > 0
                )
                insert into bill (bill_no, customer_id, cycle_start, cycle_end, opening_balance_fen, payments_fen, %s,
                                  total_fen, closing_balance_fen, journal_watermark, issued_at, postpaid, due_date, settled_at)
                select to_char(b.cycle_start, 'YYYYMMDD') || lpad(b.customer_id::text, 10, '0'), b.customer_id, b.cycle_start, b.cycle_end,
                       b.opening_balance_fen, b.payments_fen, %s, b.total_fen, b.closing_balance_fen, :watermark, b.issued_at,
                       b.postpaid, case when b.postpaid then b.cycle_end + :dueDays end,
                       case when b.postpaid and b.closing_balance_fen >= 0 then b.issued_at end
                  from billed b
                -- the bill number is the cycle's first day + the customer, as unique as (customer, cycle): no target,
                -- so a concurrent run's insert that meets either unique key first does nothing instead of failing
                on conflict do nothing
                returning id
                """.formatted(closedCycleStart(), BillSql.total("agg"), BillSql.aggregates("d.start_ts"), BillSql.columns(), prefixed("b.")))
                .param("customers", customers).param("day", day).param("watermark", watermark).param("issuedAt", issuedAt)
                .param("dueDays", Postpaid.DUE_DAYS)
                .query(Long.class).list();
    }

    private static String prefixed(String alias) {
        StringBuilder out = new StringBuilder();
        for (BillCategory c : BillCategory.values()) {
            out.append(out.isEmpty() ? "" : ", ").append(alias).append(c.column());
        }
        return out.toString();
    }

    /**
     * Bill-ready messages for issued bills not yet told, a batch at a time: the batch is claimed
     * (row locks, so a second runner skips it) and stamped in the transaction that sends it. A crash
     * before the commit sends that batch again on the next run — a repeated message, never a lost one.
     */
    public int sendNotices() {
        int sent = 0;
        while (true) {
            Integer batch = tx.execute(s -> {
                List<Notice> notices = jdbc.sql("""
                        select b.id, b.cycle_start, b.total_fen, b.closing_balance_fen, b.due_date,
                               (select l.msisdn from line l where l.customer_id = b.customer_id order by l.id limit 1) as msisdn
                          from bill b where b.notified_at is null
                         order by b.id limit :n for update of b skip locked
                        """).param("n", NOTICE_BATCH)
                        .query((rs, n) -> new Notice(rs.getLong(1), rs.getDate(2).toLocalDate(), Money.ofFen(rs.getLong(3)),
                                Money.ofFen(rs.getLong(4)), rs.getDate(5) == null ? null : rs.getDate(5).toLocalDate(), rs.getString(6)))
                        .list();
                Instant now = clock.instant();
                for (Notice n : notices) {
                    if (n.msisdn() != null) {
                        sms.send(n.msisdn(), message(n), "BILL_READY");
                    }
                }
                if (!notices.isEmpty()) {
                    jdbc.sql("update bill set notified_at = ? where id = any(?)")
                            .params(Timestamp.from(now), notices.stream().mapToLong(Notice::billId).toArray()).update();
                }
                return notices.size();
            });
            if (batch == null || batch == 0) {
                return sent;
            }
            sent += batch;
        }
    }

    private String message(Notice n) {
        String month = Bill.monthOf(n.cycleStart()).format(DateTimeFormatter.ofPattern("yyyy年M月"));
        String link = "。查看明细：" + baseUrl + "/bills/" + n.billId();
        if (n.dueDate() != null && n.balance().isNegative()) {
            return "【网上营业厅】您" + month + "账单已出：本期消费" + n.total().display() + "，应缴" + n.balance().negate().display()
                    + "，请于" + n.dueDate() + "前缴清" + link;
        }
        return "【网上营业厅】您" + month + "账单已出：本期消费" + n.total().display() + "，账户余额" + n.balance().display() + link;
    }

    private record Notice(long billId, LocalDate cycleStart, Money total, Money balance, LocalDate dueDate, String msisdn) {
    }
}
