package org.telehall.demo;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.StringReader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.customer.IdNumberCipher;
import org.telehall.identity.Accounts;
import org.telehall.ledger.ReasonCodes;

/**
 * Generates a large operator for benchmarks: N subscribers, each with a line, a login, a plan, a
 * prepaid account whose balance is the sum of its journal (an opening top-up and the monthly plan
 * fees), the current cycle's buckets and three months of usage records. Rows go in with
 * PostgreSQL COPY, one transaction per chunk of subscribers. Deterministic for a seed and a day:
 * every subscriber draws from its own {@link Random} seeded from the seed and its number, so the
 * chunk size changes nothing.
 *
 * <p>Usage stays inside the plan's allowances (nothing is charged), so the current month's
 * records add up exactly to the buckets' used amounts and no usage charge is missing from the
 * journal.
 */
@Component
class BulkSubscribers {

    private static final Logger log = LoggerFactory.getLogger(BulkSubscribers.class);

    /** 147 + 8 digits: far from the named demo numbers (138…, 139…). */
    private static final String MSISDN_PREFIX = "147";
    private static final long MSISDN_SPACE = 100_000_000L;
    /** An odd multiplier coprime to 10^8 spreads consecutive subscribers over the number range. */
    private static final long MSISDN_STRIDE = 48_271L;
    /** The named demo SIMs are 898600…; generated ones are 898602…. */
    private static final String ICCID_PREFIX = "898602";

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
            "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"};
    private static final String[] GIVEN = {"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳",
            "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "志强",
            "婷", "鑫", "浩然", "子涵", "欣怡", "宇轩", "思远", "雨桐", "佳琪", "俊杰"};
    /** Real county-level region codes (first six digits of a resident ID). */
    private static final String[] REGIONS = {"110101", "110105", "120101", "310104", "310115", "320102", "330106",
            "340104", "350203", "370202", "410105", "420106", "430104", "440106", "440305", "450103", "500103",
            "510107", "530102", "610113"};
    private static final int[] ID_WEIGHTS = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    private static final String ID_CHECK = "10X98765432";

    private final DataSource dataSource;
    private final IdNumberCipher cipher;
    private final Accounts accounts;
    private final Catalog catalog;
    private final Clock clock;
    private final double recordsPerDay;
    private final int chunkSize;

    BulkSubscribers(DataSource dataSource, IdNumberCipher cipher, Accounts accounts, Catalog catalog, Clock clock,
                    @Value("${telehall.demo.records-per-day:4}") double recordsPerDay,
                    @Value("${telehall.demo.bulk-chunk:5000}") int chunkSize) {
        this.dataSource = dataSource;
        this.cipher = cipher;
        this.accounts = accounts;
        this.catalog = catalog;
        this.clock = clock;
        this.recordsPerDay = recordsPerDay;
        this.chunkSize = Math.max(1, chunkSize);
    }

    /** What one generated subscriber is made of, decided before any row is written. */
    private record Subscriber(int number, long customerId, long lineId, long accountId, String name, String msisdn,
                              String iccid, Instant since, Offering plan, long openingFen, double usageShare, long seed) {
    }

    private record Context(Instant now, LocalDate today, LocalDate historyStart, List<Offering> plans,
                           String passwordHash, long cashAccount, long revenueAccount) {
    }

    void generate(int subscribers, long seed) {
        if (subscribers <= 0) {
            return;
        }
        if (subscribers > MSISDN_SPACE) {
            throw new IllegalArgumentException("at most " + MSISDN_SPACE + " generated subscribers, not " + subscribers);
        }
        long started = System.nanoTime();
        long records = 0;
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                Context context = context(connection);
                log.info("Generating {} subscribers ({} usage records per line per day, chunks of {}, seed {})",
                        subscribers, recordsPerDay, chunkSize, seed);
                for (int from = 0; from < subscribers; from += chunkSize) {
                    int to = Math.min(subscribers, from + chunkSize);
                    records += chunk(connection, context, from, to, seed);
                    connection.commit();
                    double seconds = (System.nanoTime() - started) / 1e9;
                    log.info("Generated {}/{} subscribers, {} usage records, {} s ({} subscribers/s)", to, subscribers,
                            records, Math.round(seconds), Math.round(to / seconds));
                }
                try (Statement analyze = connection.createStatement()) {
                    // fresh statistics so the first queries against millions of new rows plan well
                    analyze.execute("analyze customer, line, app_user, product, ledger_account, journal_entry, "
                            + "journal_line, bucket, usage_record");
                }
                connection.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("bulk generation failed", e);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        log.info("Bulk generation done: {} subscribers and {} usage records in {} s ({} subscribers/s, {} records/s)",
                subscribers, records, String.format("%.1f", seconds), Math.round(subscribers / seconds),
                Math.round(records / seconds));
    }

    private Context context(Connection connection) throws SQLException {
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, SubscriberHistory.ZONE);
        List<Offering> plans = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("select id from catalog_offering where kind = 'PLAN' and on_sale order by sort_order, id")) {
            while (rs.next()) {
                plans.add(catalog.get(rs.getString(1)));
            }
        }
        if (plans.isEmpty()) {
            throw new IllegalStateException("no plans in the catalogue to give generated subscribers");
        }
        return new Context(now, today, today.withDayOfMonth(1).minusMonths(2), plans,
                accounts.encodePassword(DemoData.DEMO_PASSWORD),
                operatorAccount(connection, "OPERATOR_CASH"), operatorAccount(connection, "OPERATOR_REVENUE"));
    }

    private long chunk(Connection connection, Context context, int from, int to, long seed) throws SQLException, IOException {
        int n = to - from;
        long[] customerIds = nextIds(connection, "customer_id_seq", n);
        long[] lineIds = nextIds(connection, "line_id_seq", n);
        long[] accountIds = nextIds(connection, "ledger_account_id_seq", n);
        List<Subscriber> subscribers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            subscribers.add(subscriber(context, from + i, customerIds[i], lineIds[i], accountIds[i], seed));
        }
        PgCopy copy = PgCopy.of(connection);
        copyCustomers(copy, context, subscribers);
        copyJournal(connection, copy, context, subscribers);
        return copyUsageAndBuckets(connection, copy, context, subscribers);
    }

    private Subscriber subscriber(Context context, int number, long customerId, long lineId, long accountId, long seed) {
        long ownSeed = seed * 6_364_136_223_846_793_005L + number * 1_442_695_040_888_963_407L;
        Random random = new Random(ownSeed);
        String name = SURNAMES[random.nextInt(SURNAMES.length)] + GIVEN[random.nextInt(GIVEN.length)];
        // number -> (number * stride + seed) mod 10^8 is one-to-one, so every number is unique
        String msisdn = MSISDN_PREFIX + String.format("%08d", Math.floorMod(number * MSISDN_STRIDE + seed, MSISDN_SPACE));
        String iccid = ICCID_PREFIX + String.format("%014d", number);
        Instant since = context.now().minus(Duration.ofDays(120 + random.nextInt(2500)));
        Offering plan = context.plans().get(random.nextInt(context.plans().size()));
        long fees = 3 * plan.price().recurringFee().fen();
        long openingFen = fees + 100L * (10 + random.nextInt(300));
        double usageShare = 0.15 + 0.7 * random.nextDouble();
        return new Subscriber(number, customerId, lineId, accountId, name, msisdn, iccid, since, plan, openingFen,
                usageShare, random.nextLong());
    }

    private void copyCustomers(PgCopy copy, Context context, List<Subscriber> subscribers) throws SQLException, IOException {
        Rows customers = new Rows();
        Rows lines = new Rows();
        Rows users = new Rows();
        Rows products = new Rows();
        Rows ledgerAccounts = new Rows();
        Instant planStart = SubscriberHistory.atZone(context.historyStart().minusMonths(6), 10, 0);
        for (Subscriber s : subscribers) {
            String idNumber = idNumber(new Random(s.seed()));
            customers.row(s.customerId(), "PERSON", s.name(), cipher.encrypt(idNumber), IdNumberCipher.mask(idNumber),
                    cipher.digest(idNumber), "t", s.since());
            lines.row(s.lineId(), s.customerId(), s.msisdn(), s.iccid(), "ACTIVE", s.since());
            users.row(s.msisdn(), context.passwordHash(), "SUBSCRIBER", s.customerId(), s.name());
            products.row(s.customerId(), s.lineId(), s.plan().id(), "PLAN", "ACTIVE",
                    s.since().isAfter(planStart) ? s.since() : planStart, "t", s.plan().price().recurringFee().fen());
            ledgerAccounts.row(s.accountId(), "CUSTOMER_PREPAID", s.customerId(),
                    s.openingFen() - 3 * s.plan().price().recurringFee().fen(), s.since());
        }
        customers.copy(copy, "customer (id, kind, name, id_number_cipher, id_number_masked, id_number_digest, real_name_verified, created_at)");
        lines.copy(copy, "line (id, customer_id, msisdn, iccid, status, activated_at)");
        users.copy(copy, "app_user (username, password_hash, role, customer_id, display_name)");
        products.copy(copy, "product (customer_id, line_id, offering_id, kind, status, started_at, auto_renew, recurring_fee_fen)");
        ledgerAccounts.copy(copy, "ledger_account (id, kind, customer_id, balance_fen, created_at)");
    }

    /** The opening top-up, then the plan fee at the start of each of the three months. */
    private void copyJournal(Connection connection, PgCopy copy, Context context, List<Subscriber> subscribers)
            throws SQLException, IOException {
        long[] entryIds = nextIds(connection, "journal_entry_id_seq", subscribers.size() * 4);
        Rows entries = new Rows();
        Rows journalLines = new Rows();
        int e = 0;
        for (Subscriber s : subscribers) {
            Instant opened = SubscriberHistory.atZone(context.historyStart().minusDays(1), 20, 0);
            long entry = entryIds[e++];
            long balance = s.openingFen();
            entries.row(entry, "bulk:topup:" + s.customerId() + ":opening", "TOPUP", ReasonCodes.TOPUP, "opening", opened);
            journalLines.row(entry, s.accountId(), balance, balance, opened);
            journalLines.row(entry, context.cashAccount(), -balance, null, opened);
            long fee = s.plan().price().recurringFee().fen();
            for (int m = 0; m < 3; m++) {
                LocalDate month = context.historyStart().plusMonths(m);
                Instant at = SubscriberHistory.atZone(month, 0, 5);
                entry = entryIds[e++];
                balance -= fee;
                entries.row(entry, "bulk:fee:" + s.lineId() + ":" + month, "CHARGE", ReasonCodes.PLAN_FEE,
                        s.plan().nameZh(), at);
                journalLines.row(entry, s.accountId(), -fee, balance, at);
                journalLines.row(entry, context.revenueAccount(), fee, null, at);
            }
        }
        entries.copy(copy, "journal_entry (id, business_key, kind, reason_code, reason_text, posted_at)");
        journalLines.copy(copy, "journal_line (entry_id, account_id, amount_fen, balance_after_fen, posted_at)");
    }

    /**
     * Streams the usage records of the chunk, rating each against the plan's allowance (never past
     * it), then writes the current cycle's buckets with what this month's records used.
     */
    private long copyUsageAndBuckets(Connection connection, PgCopy copy, Context context, List<Subscriber> subscribers)
            throws SQLException, IOException {
        Rows buckets = new Rows();
        long count = 0;
        YearMonth current = YearMonth.from(context.today());
        Instant cycleFrom = SubscriberHistory.atZone(current.atDay(1), 0, 0);
        Instant cycleTo = SubscriberHistory.atZone(current.plusMonths(1).atDay(1), 0, 0);
        try (OutputStream out = copy.stream("copy usage_record (network_id, line_id, usage_type, direction, started_at, "
                + "other_party, duration_sec, volume_kb, charge_fen) from stdin")) {
            Rows batch = new Rows();
            for (Subscriber s : subscribers) {
                Random random = new Random(s.seed() ^ 0x5DEECE66DL);
                Offering plan = s.plan();
                long[] used = null;
                for (int m = 0; m < 3; m++) {
                    YearMonth month = YearMonth.from(context.historyStart()).plusMonths(m);
                    used = usageForMonth(batch, s, plan, month, context, random);
                    count += used[3];
                    if (batch.length() > 1 << 20) {
                        batch.writeTo(out);
                    }
                }
                buckets.row(s.lineId(), "DATA", "PLAN", plan.id(), plan.dataMb() * 1024, used[0], cycleFrom, cycleTo);
                buckets.row(s.lineId(), "VOICE", "PLAN", plan.id(), (long) plan.voiceMinutes(), used[1], cycleFrom, cycleTo);
                buckets.row(s.lineId(), "SMS", "PLAN", plan.id(), (long) plan.smsCount(), used[2], cycleFrom, cycleTo);
            }
            batch.writeTo(out);
        }
        buckets.copy(copy, "bucket (line_id, kind, source, offering_id, initial_amount, used_amount, valid_from, valid_to)");
        return count;
    }

    /** One month of one line's records; returns {data KB, voice minutes, SMS, records} used in the month. */
    private long[] usageForMonth(Rows out, Subscriber s, Offering plan, YearMonth month, Context context, Random random) {
        long dataKb = plan.dataMb() * 1024;
        long minutes = plan.voiceMinutes();
        long sms = plan.smsCount();
        // a data session averages this share of the allowance spread over the month's sessions
        double dataSessions = Math.max(1, recordsPerDay * 0.5 * month.lengthOfMonth());
        long meanSessionKb = (long) (dataKb * s.usageShare() / dataSessions);
        long usedKb = 0;
        long usedMinutes = 0;
        long usedSms = 0;
        long records = 0;
        LocalDate last = month.atEndOfMonth().isAfter(context.today()) ? context.today() : month.atEndOfMonth();
        LocalDate activated = s.since().atZone(SubscriberHistory.ZONE).toLocalDate();
        int nowSecondOfDay = context.now().atZone(SubscriberHistory.ZONE).toLocalTime().toSecondOfDay();
        String idPrefix = "bulk-" + s.lineId() + "-" + month + "-";
        int seq = 0;
        for (LocalDate day = month.atDay(1); !day.isAfter(last); day = day.plusDays(1)) {
            if (day.isBefore(activated)) {
                continue;
            }
            // times are written as Beijing wall-clock with its offset, so no Instant per record
            String date = day.toString();
            boolean today = day.equals(context.today());
            int todays = poisson(recordsPerDay, random);
            for (int i = 0; i < todays; i++) {
                int secondOfDay = (7 + random.nextInt(17)) * 3600 + random.nextInt(60) * 60 + random.nextInt(60);
                if (today && secondOfDay > nowSecondOfDay) {
                    continue;
                }
                int kind = random.nextInt(100);
                if (kind < 50) {
                    long kb = Math.min(dataKb - usedKb, 64 + (long) (meanSessionKb * 2 * random.nextDouble()));
                    if (kb <= 0) {
                        continue;
                    }
                    usedKb += kb;
                    out.usage(idPrefix, seq++, s.lineId(), "DATA", "OUT", date, secondOfDay, null, 0, kb);
                } else if (kind < 85) {
                    boolean outgoing = random.nextInt(10) < 6;
                    int seconds = 15 + random.nextInt(random.nextInt(10) == 0 ? 1800 : 420);
                    if (outgoing) {
                        long callMinutes = (seconds + 59) / 60;
                        if (usedMinutes + callMinutes > minutes) {
                            continue;
                        }
                        usedMinutes += callMinutes;
                    }
                    out.usage(idPrefix, seq++, s.lineId(), "VOICE", outgoing ? "OUT" : "IN", date, secondOfDay,
                            otherParty(random), seconds, 0);
                } else {
                    if (usedSms >= sms) {
                        continue;
                    }
                    usedSms++;
                    out.usage(idPrefix, seq++, s.lineId(), "SMS", "OUT", date, secondOfDay, otherParty(random), 0, 0);
                }
                records++;
            }
        }
        return new long[] {usedKb, usedMinutes, usedSms, records};
    }

    private static int poisson(double mean, Random random) {
        double limit = Math.exp(-mean);
        double p = random.nextDouble();
        int k = 0;
        while (p > limit && k < 1000) {
            p *= random.nextDouble();
            k++;
        }
        return k;
    }

    private static String otherParty(Random random) {
        if (random.nextInt(25) == 0) {
            return random.nextBoolean() ? "10086" : "95588";
        }
        char[] digits = new char[11];
        digits[0] = '1';
        digits[1] = (char) ('3' + random.nextInt(7));
        int rest = random.nextInt(1_000_000_000);
        for (int i = 10; i >= 2; i--) {
            digits[i] = (char) ('0' + rest % 10);
            rest /= 10;
        }
        return new String(digits);
    }

    /** A made-up but well-formed 18-digit resident ID: region, birth date, sequence, ISO 7064 check digit. */
    static String idNumber(Random random) {
        LocalDate birth = LocalDate.of(1950, 1, 1).plusDays(random.nextInt(20_000));
        String body = REGIONS[random.nextInt(REGIONS.length)]
                + String.format("%04d%02d%02d", birth.getYear(), birth.getMonthValue(), birth.getDayOfMonth())
                + String.format("%03d", random.nextInt(1000));
        int sum = 0;
        for (int i = 0; i < 17; i++) {
            sum += (body.charAt(i) - '0') * ID_WEIGHTS[i];
        }
        return body + ID_CHECK.charAt(sum % 11);
    }

    private static long[] nextIds(Connection connection, String sequence, int n) throws SQLException {
        long[] ids = new long[n];
        try (PreparedStatement ps = connection.prepareStatement("select nextval(?::regclass) from generate_series(1, ?)")) {
            ps.setString(1, sequence);
            ps.setInt(2, n);
            try (ResultSet rs = ps.executeQuery()) {
                for (int i = 0; rs.next(); i++) {
                    ids[i] = rs.getLong(1);
                }
            }
        }
        return ids;
    }

    private static long operatorAccount(Connection connection, String kind) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(
                "select id from ledger_account where kind = ? and customer_id is null")) {
            ps.setString(1, kind);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new IllegalStateException("operator account " + kind + " is missing");
                }
                return rs.getLong(1);
            }
        }
    }

    /**
     * PostgreSQL COPY through the driver's {@code CopyManager}. The driver is a runtime-only
     * dependency (the application codes against JDBC), so its COPY API is reached by reflection;
     * calls are per megabyte of rows, so the cost of reflection does not show.
     */
    private static final class PgCopy {
        private final Object manager;
        private final Method copyFromReader;
        private final Method copyStart;
        private final Method write;
        private final Method end;
        private final Method cancel;
        private final Method active;

        private PgCopy(Object manager, Class<?> managerType, Class<?> copyInType) throws NoSuchMethodException {
            this.manager = manager;
            this.copyFromReader = managerType.getMethod("copyIn", String.class, Reader.class);
            this.copyStart = managerType.getMethod("copyIn", String.class);
            this.write = copyInType.getMethod("writeToCopy", byte[].class, int.class, int.class);
            this.end = copyInType.getMethod("endCopy");
            this.cancel = copyInType.getMethod("cancelCopy");
            this.active = copyInType.getMethod("isActive");
        }

        static PgCopy of(Connection connection) throws SQLException {
            try {
                ClassLoader loader = connection.getClass().getClassLoader();
                Class<?> pgConnection = Class.forName("org.postgresql.PGConnection", true, loader);
                Class<?> managerType = Class.forName("org.postgresql.copy.CopyManager", true, loader);
                Class<?> copyInType = Class.forName("org.postgresql.copy.CopyIn", true, loader);
                Object manager = pgConnection.getMethod("getCopyAPI").invoke(connection.unwrap(pgConnection));
                return new PgCopy(manager, managerType, copyInType);
            } catch (ReflectiveOperationException e) {
                throw new SQLException("bulk generation needs the PostgreSQL JDBC driver's COPY API", e);
            }
        }

        void copyIn(String sql, Reader rows) throws SQLException, IOException {
            call(manager, copyFromReader, sql, rows);
        }

        /** A COPY FROM STDIN fed by writes; closing the stream ends the COPY. */
        OutputStream stream(String sql) throws SQLException, IOException {
            Object copyIn = call(manager, copyStart, sql);
            return new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] bytes, int offset, int length) throws IOException {
                    try {
                        call(copyIn, write, bytes, offset, length);
                    } catch (SQLException e) {
                        throw new IOException(e);
                    }
                }

                @Override
                public void close() throws IOException {
                    try {
                        if ((Boolean) call(copyIn, active)) {
                            call(copyIn, end);
                        }
                    } catch (SQLException e) {
                        try {
                            call(copyIn, cancel);
                        } catch (SQLException ignored) {
                            // the COPY failed already; the first error is the one to report
                        }
                        throw new IOException(e);
                    }
                }
            };
        }

        private static Object call(Object target, Method method, Object... args) throws SQLException, IOException {
            try {
                return method.invoke(target, args);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof SQLException sql) {
                    throw sql;
                }
                if (cause instanceof IOException io) {
                    throw io;
                }
                if (cause instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException(cause);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Rows in COPY text format. Values here never hold tabs, newlines or backslashes. */
    private static final class Rows {
        private final StringBuilder text = new StringBuilder(1 << 16);

        void row(Object... values) {
            for (int i = 0; i < values.length; i++) {
                if (i > 0) {
                    text.append('\t');
                }
                Object v = values[i];
                text.append(v == null ? "\\N" : v.toString());
            }
            text.append('\n');
        }

        /** A usage_record row in the column order of the usage COPY. */
        void usage(String idPrefix, int seq, long lineId, String type, String direction, String date, int secondOfDay,
                   String otherParty, int durationSec, long volumeKb) {
            text.append(idPrefix).append(seq).append('\t').append(lineId).append('\t').append(type).append('\t')
                    .append(direction).append('\t').append(date).append(' ');
            two(secondOfDay / 3600).append(':');
            two(secondOfDay / 60 % 60).append(':');
            two(secondOfDay % 60).append("+08\t").append(otherParty == null ? "\\N" : otherParty).append('\t')
                    .append(durationSec).append('\t').append(volumeKb).append("\t0\n");
        }

        private StringBuilder two(int value) {
            return text.append((char) ('0' + value / 10)).append((char) ('0' + value % 10));
        }

        int length() {
            return text.length();
        }

        void copy(PgCopy copy, String table) throws SQLException, IOException {
            copy.copyIn("copy " + table + " from stdin", new StringReader(text.toString()));
            text.setLength(0);
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            text.setLength(0);
        }
    }
}
