package org.telehall.notify;

import java.sql.Time;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.telehall.shared.Money;

/**
 * Each customer's reminder choices. Rating asks for them once per line per batch, so they are held
 * in memory: only customers who changed something have a row (the rest use {@link Settings#DEFAULT}),
 * a save here updates this node at once, and changes saved on other nodes are read every
 * {@value #REFRESH_SECONDS} s.
 */
@Service
public class ReminderSettings {

    static final long REFRESH_SECONDS = 10;
    /** Rows changed this long before the newest one seen are read again: a save may commit after a later one. */
    private static final Duration REREAD = Duration.ofMinutes(1);

    /** A customer's choices; {@code lowBalance} null: no low-balance reminder. */
    public record Settings(int dataThresholdPct, Money lowBalance, LocalTime quietFrom, LocalTime quietTo, Set<ReminderKind> off) {

        public static final int MIN_THRESHOLD = 50;
        public static final int MAX_THRESHOLD = 99;
        public static final Settings DEFAULT = new Settings(80, null, LocalTime.of(22, 0), LocalTime.of(8, 0),
                Set.of());

        public Settings {
            if (dataThresholdPct < MIN_THRESHOLD || dataThresholdPct > MAX_THRESHOLD) {
                throw new IllegalArgumentException("data threshold must be " + MIN_THRESHOLD + "–" + MAX_THRESHOLD + " %");
            }
            if (lowBalance != null && lowBalance.isNegative()) {
                throw new IllegalArgumentException("low-balance threshold cannot be negative");
            }
            off = off.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(off));
        }

        public boolean on(ReminderKind kind) {
            return !kind.optional() || !off.contains(kind);
        }

        /** Is {@code at} (in {@code zone}) inside the quiet hours? Equal from and to: no quiet hours. */
        public boolean quiet(Instant at, ZoneId zone) {
            LocalTime t = at.atZone(zone).toLocalTime();
            if (quietFrom.equals(quietTo)) {
                return false;
            }
            return quietFrom.isBefore(quietTo)
                    ? !t.isBefore(quietFrom) && t.isBefore(quietTo)
                    : !t.isBefore(quietFrom) || t.isBefore(quietTo);
        }

        /** When an optional SMS raised at {@code at} may go: then, or at the end of the quiet hours. */
        public Instant smsDue(ReminderKind kind, Instant at, ZoneId zone) {
            if (!kind.optional() || !quiet(at, zone)) {
                return at;
            }
            ZonedDateTime local = at.atZone(zone);
            ZonedDateTime end = local.with(quietTo).withSecond(0).withNano(0);
            if (!end.isAfter(local)) {
                end = end.plusDays(1);
            }
            return end.toInstant();
        }
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final Map<Long, Settings> changed = new ConcurrentHashMap<>();
    private volatile boolean loaded;
    private volatile Instant newest = Instant.EPOCH;

    ReminderSettings(JdbcClient jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** No database access once loaded: safe on the rating path. */
    public Settings of(long customerId) {
        if (!loaded) {
            refresh();
        }
        return changed.getOrDefault(customerId, Settings.DEFAULT);
    }

    @Transactional
    public void save(long customerId, Settings s) {
        Instant now = clock.instant();
        jdbc.sql("""
                insert into reminder_settings (customer_id, data_threshold_pct, low_balance_fen, quiet_from, quiet_to, off_kinds, updated_at)
                values (?, ?, ?, ?, ?, ?::text[], ?)
                on conflict (customer_id) do update set data_threshold_pct = excluded.data_threshold_pct,
                    low_balance_fen = excluded.low_balance_fen, quiet_from = excluded.quiet_from, quiet_to = excluded.quiet_to,
                    off_kinds = excluded.off_kinds, updated_at = excluded.updated_at
                """).params(customerId, s.dataThresholdPct(), s.lowBalance() == null ? null : s.lowBalance().fen(),
                        Time.valueOf(s.quietFrom()), Time.valueOf(s.quietTo()),
                        s.off().stream().map(Enum::name).sorted().toArray(String[]::new), Timestamp.from(now))
                .update();
        changed.put(customerId, s);
    }

    @Scheduled(fixedDelay = REFRESH_SECONDS * 1000, initialDelay = REFRESH_SECONDS * 1000)
    synchronized void refresh() {
        Instant from = loaded ? newest.minus(REREAD) : Instant.EPOCH;
        jdbc.sql("select * from reminder_settings where updated_at > ?").param(Timestamp.from(from)).query(rs -> {
            Set<ReminderKind> off = EnumSet.noneOf(ReminderKind.class);
            Arrays.stream((String[]) rs.getArray("off_kinds").getArray()).forEach(k -> off.add(ReminderKind.valueOf(k)));
            long low = rs.getLong("low_balance_fen");
            Money lowBalance = rs.wasNull() ? null : Money.ofFen(low);
            changed.put(rs.getLong("customer_id"), new Settings(rs.getInt("data_threshold_pct"), lowBalance,
                    rs.getTime("quiet_from").toLocalTime(), rs.getTime("quiet_to").toLocalTime(), off));
            Instant updated = rs.getTimestamp("updated_at").toInstant();
            if (updated.isAfter(newest)) {
                newest = updated;
            }
        });
        loaded = true;
    }
}
