package org.telehall.customer;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.shared.BusinessRuleException;
import org.telehall.shared.Money;
import org.telehall.shared.Msisdn;
import org.telehall.shared.NotFoundException;

/**
 * The operator's pool of numbers for new lines. A customer picks a free number and holds it for
 * {@link #HOLD_FOR} while the new-line order completes; activating the hold makes the line and takes
 * the number out of the pool. A hold that lapses is as good as none: anyone may hold the number
 * again at once, and {@link #releaseExpired} tidies lapsed holds away.
 *
 * <p>Every change is one conditional UPDATE of the number's row, so two customers reaching for the
 * same number at the same moment cannot both get it: PostgreSQL re-checks the condition on the row
 * the first one wrote.
 */
@Service
public class NumberPool {

    public static final Duration HOLD_FOR = Duration.ofMinutes(15);
    /** Search pages are at most this long. */
    public static final int MAX_PAGE = 100;

    private static final String SIM_PREFIX = "898603";

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final Clock clock;

    NumberPool(JdbcClient jdbc, JdbcTemplate template, Clock clock) {
        this.jdbc = jdbc;
        this.template = template;
        this.clock = clock;
    }

    /**
     * Numbers free now (in the pool, not taken, not held by anyone), those ending in {@code digits}
     * first, then those containing them anywhere; lucky ones only when asked. Without digits the
     * order is a fixed shuffle, so the first page is a mix of the whole pool, not one block.
     *
     * @throws IllegalArgumentException when {@code digits} holds anything but up to 11 digits
     */
    public List<PoolNumber> search(String digits, boolean luckyOnly, int offset, int limit) {
        String wanted = digits == null ? "" : digits.strip();
        if (!wanted.matches("\\d{0,11}")) {
            throw new IllegalArgumentException("search by digits only (at most 11): " + digits);
        }
        if (offset < 0 || limit < 1) {
            throw new IllegalArgumentException("offset must be ≥ 0 and limit ≥ 1, not " + offset + " and " + limit);
        }
        return jdbc.sql("""
                select msisdn, lucky, price_fen, pattern from number_pool
                where status = 'FREE' and (held_until is null or held_until <= :now)
                  and msisdn like '%' || :digits || '%' and (lucky or not :luckyOnly)
                order by msisdn like '%' || :digits desc, case when :digits = '' then hashtext(msisdn) end, msisdn
                offset :offset limit :limit
                """)
                .param("now", Timestamp.from(clock.instant())).param("digits", wanted).param("luckyOnly", luckyOnly)
                .param("offset", offset).param("limit", Math.min(limit, MAX_PAGE))
                .query(NumberPool::poolNumber).list();
    }

    /** How many numbers {@link #search} would find in all, for paging. */
    public int countFree(String digits, boolean luckyOnly) {
        String wanted = digits == null ? "" : digits.strip();
        if (!wanted.matches("\\d{0,11}")) {
            throw new IllegalArgumentException("search by digits only (at most 11): " + digits);
        }
        return jdbc.sql("""
                select count(*) from number_pool
                where status = 'FREE' and (held_until is null or held_until <= :now)
                  and msisdn like '%' || :digits || '%' and (lucky or not :luckyOnly)
                """).param("now", Timestamp.from(clock.instant())).param("digits", wanted).param("luckyOnly", luckyOnly)
                .query(Integer.class).single();
    }

    /** A number of the pool, free or not; 404 when the pool never had it. */
    public PoolNumber get(Msisdn msisdn) {
        return jdbc.sql("select msisdn, lucky, price_fen, pattern from number_pool where msisdn = ?")
                .param(msisdn.value()).query(NumberPool::poolNumber).optional()
                .orElseThrow(() -> new NotFoundException("number " + msisdn + " is not in the pool"));
    }

    /**
     * Holds a free number for the customer until {@code now} + {@link #HOLD_FOR}; holding one's own
     * number again extends the hold. A customer holds one number at a time: any other hold of theirs
     * goes back to the pool.
     *
     * @throws BusinessRuleException {@code number.taken} when another customer holds it or it is taken
     * @throws NotFoundException when the number is not in the pool, or the customer does not exist
     */
    @Transactional
    public NumberHold hold(long customerId, Msisdn msisdn, Instant now) {
        lockCustomer(customerId);
        // to the microsecond, as the database keeps it, so the hold returned equals the one read back
        Instant until = now.plus(HOLD_FOR).truncatedTo(ChronoUnit.MICROS);
        int held = jdbc.sql("""
                update number_pool set held_by = :customer, held_until = :until
                where msisdn = :msisdn and status = 'FREE'
                  and (held_by is null or held_by = :customer or held_until <= :now)
                """).param("customer", customerId).param("until", Timestamp.from(until))
                .param("msisdn", msisdn.value()).param("now", Timestamp.from(now)).update();
        if (held == 0) {
            get(msisdn);
            throw new BusinessRuleException("number.taken", "number " + msisdn + " is held by someone else or taken", msisdn.value());
        }
        jdbc.sql("update number_pool set held_by = null, held_until = null where held_by = ? and msisdn <> ? and status = 'FREE'")
                .params(customerId, msisdn.value()).update();
        return new NumberHold(msisdn, customerId, until);
    }

    /** The customer's live hold, if they have one. */
    public Optional<NumberHold> holdOf(long customerId, Instant now) {
        return jdbc.sql("""
                select msisdn, held_by, held_until from number_pool
                where held_by = ? and held_until > ? and status = 'FREE' order by held_until desc limit 1
                """).params(customerId, Timestamp.from(now))
                .query((rs, row) -> new NumberHold(new Msisdn(rs.getString("msisdn")), rs.getLong("held_by"),
                        rs.getTimestamp("held_until").toInstant())).optional();
    }

    /** Gives the customer's hold on the number back to the pool; nothing happens if they hold none. */
    @Transactional
    public void release(long customerId, Msisdn msisdn) {
        jdbc.sql("update number_pool set held_by = null, held_until = null where msisdn = ? and held_by = ? and status = 'FREE'")
                .params(msisdn.value(), customerId).update();
    }

    /**
     * Makes the new line: a new SIM (ICCID), status active, the number taken out of the pool. The
     * number must be held by the customer, or free (a hold that lapsed with nobody else reaching for
     * the number still stands). Activating the same customer's number again returns the same line.
     * Enforces the real-name rules here too, under a lock per person, so that two orders finishing
     * at once cannot give a person a sixth line.
     *
     * @throws BusinessRuleException {@code number.hold-expired} when the customer's hold lapsed and
     *         another customer holds the number now; {@code number.taken} when it has become someone
     *         else's line; {@code realname.required} when the customer has no verified ID number on
     *         file; {@code realname.too-many-lines} when the person already holds
     *         {@link RealName#MAX_LINES_PER_PERSON} lines
     */
    @Transactional
    public Line activate(long customerId, Msisdn msisdn, Instant now) {
        PoolRow row = jdbc.sql("select status, held_by, held_until, taken_by from number_pool where msisdn = ? for update")
                .param(msisdn.value()).query((rs, n) -> new PoolRow(rs.getString("status"), nullableLong(rs, "held_by"),
                        rs.getTimestamp("held_until") == null ? null : rs.getTimestamp("held_until").toInstant(),
                        nullableLong(rs, "taken_by"))).optional()
                .orElseThrow(() -> new NotFoundException("number " + msisdn + " is not in the pool"));
        if ("TAKEN".equals(row.status())) {
            if (row.takenBy() != null && row.takenBy() == customerId) {
                return jdbc.sql("select * from line where msisdn = ? and customer_id = ?").params(msisdn.value(), customerId)
                        .query(Customers::line).single();
            }
            throw new BusinessRuleException("number.taken", "number " + msisdn + " is already someone's line", msisdn.value());
        }
        boolean heldByOther = row.heldBy() != null && row.heldBy() != customerId && row.heldUntil().isAfter(now);
        if (heldByOther) {
            throw new BusinessRuleException("number.hold-expired",
                    "the hold on " + msisdn + " lapsed and another customer holds it now", msisdn.value());
        }
        String digest = jdbc.sql("select id_number_digest from customer where id = ? for no key update").param(customerId)
                .query((rs, n) -> Optional.ofNullable(rs.getString(1))).optional()
                .orElseThrow(() -> new NotFoundException("no customer " + customerId)).orElse(null);
        if (digest == null) {
            throw new BusinessRuleException("realname.required", "customer " + customerId + " has no verified ID number on file");
        }
        RealNameCheck.lockPerson(jdbc, digest);
        int held = RealNameCheck.linesWithDigest(jdbc, digest);
        if (held >= RealName.MAX_LINES_PER_PERSON) {
            throw new BusinessRuleException("realname.too-many-lines", "the person already holds " + held + " lines",
                    RealName.MAX_LINES_PER_PERSON);
        }
        Line line = jdbc.sql("""
                insert into line (customer_id, msisdn, iccid, status, activated_at) values (?, ?, ?, 'ACTIVE', ?) returning *
                """).params(customerId, msisdn.value(), newIccid(), Timestamp.from(now)).query(Customers::line).single();
        jdbc.sql("""
                update number_pool set status = 'TAKEN', taken_by = ?, taken_at = ?, held_by = null, held_until = null
                where msisdn = ?
                """).params(customerId, Timestamp.from(now), msisdn.value()).update();
        return line;
    }

    /** Returns numbers whose hold lapsed before {@code now} to the pool; how many. */
    @Transactional
    public int releaseExpired(Instant now) {
        return jdbc.sql("update number_pool set held_by = null, held_until = null where status = 'FREE' and held_until <= ?")
                .param(Timestamp.from(now)).update();
    }

    /** Every minute; tests turn it off ({@code -}) so that they alone decide when lapsed holds go back. */
    @Scheduled(cron = "${telehall.numbers.release-cron:0 * * * * *}")
    void releaseExpiredNow() {
        releaseExpired(clock.instant());
    }

    /**
     * Puts numbers into the pool, priced by their pattern (see {@link LuckyPatterns}); numbers
     * already in the pool or already someone's line are left as they are. Answers how many went in.
     */
    @Transactional
    public int stock(Collection<Msisdn> numbers) {
        int[][] counts = template.batchUpdate("""
                insert into number_pool (msisdn, lucky, price_fen, pattern)
                select ?, ?, ?, ? where not exists (select 1 from line where msisdn = ?)
                on conflict (msisdn) do nothing
                """, numbers, 500, (ps, number) -> {
            Optional<LuckyPatterns.Lucky> lucky = LuckyPatterns.of(number.value());
            ps.setString(1, number.value());
            ps.setBoolean(2, lucky.isPresent());
            ps.setLong(3, lucky.map(l -> l.price().fen()).orElse(0L));
            ps.setString(4, lucky.map(LuckyPatterns.Lucky::pattern).orElse(null));
            ps.setString(5, number.value());
        });
        int added = 0;
        for (int[] batch : counts) {
            for (int count : batch) {
                added += Math.max(count, 0);
            }
        }
        return added;
    }

    /** How many numbers are free now: in the pool, not taken and not held. */
    public int freeCount() {
        return jdbc.sql("select count(*) from number_pool where status = 'FREE' and (held_until is null or held_until <= ?)")
                .param(Timestamp.from(clock.instant())).query(Integer.class).single();
    }

    /** How many numbers the pool has ever held, free, held or taken. */
    public int size() {
        return jdbc.sql("select count(*) from number_pool").query(Integer.class).single();
    }

    private void lockCustomer(long customerId) {
        jdbc.sql("select id from customer where id = ? for no key update").param(customerId).query(Long.class).optional()
                .orElseThrow(() -> new NotFoundException("no customer " + customerId));
    }

    /** 898603, a 13-digit serial, and the Luhn check digit every SIM number ends with. */
    private String newIccid() {
        long serial = jdbc.sql("select nextval('sim_serial')").query(Long.class).single();
        String body = SIM_PREFIX + String.format("%013d", serial);
        return body + luhn(body);
    }

    static int luhn(String digits) {
        int sum = 0;
        boolean twice = true;
        for (int i = digits.length() - 1; i >= 0; i--) {
            int d = digits.charAt(i) - '0';
            if (twice) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            twice = !twice;
        }
        return (10 - sum % 10) % 10;
    }

    private record PoolRow(String status, Long heldBy, Instant heldUntil, Long takenBy) {
    }

    private static Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }

    private static PoolNumber poolNumber(ResultSet rs, int row) throws SQLException {
        return new PoolNumber(new Msisdn(rs.getString("msisdn")), rs.getBoolean("lucky"), Money.ofFen(rs.getLong("price_fen")),
                rs.getString("pattern"));
    }
}
