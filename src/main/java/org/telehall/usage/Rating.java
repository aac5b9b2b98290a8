package org.telehall.usage;

import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.jdbc.support.SQLErrorCodeSQLExceptionTranslator;
import org.springframework.jdbc.support.SQLExceptionTranslator;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Offering;
import org.telehall.customer.LineSuspension;
import org.telehall.customer.Customers;
import org.telehall.inventory.Inventory;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.ledger.UsageCharge;
import org.telehall.shared.Money;

/**
 * Rates usage as the network reports it, a batch at a time, with the work done per line, not per
 * record. A batch is split into {@link #SHARDS} shards of lines, rated side by side, each in one transaction:
 * <ol>
 * <li>every record's network id is claimed in {@code usage_seen} (in id order), so a record sent
 *     twice, in two files or by two nodes at once is rated once, the others answered as duplicates;</li>
 * <li>the shard's lines are locked (advisory lock stripes, ascending), so two batches sharing a line
 *     queue and never deadlock, and a bucket can never be used twice over;</li>
 * <li>each line's records consume its buckets in memory in time order (packs nearest expiry first,
 *     then data rolled over from the last cycle, then the plan), every touched bucket is written once, the records go in with one COPY, and the
 *     overage is one ledger posting per line and usage type, all postings in one call;</li>
 * <li>the commit waits for the WAL to be on disk ({@code synchronous_commit = on}, set for every pooled
 *     connection by {@code platform.DatabaseConfig}): an answered record is a durable one.</li>
 * </ol>
 * The debug log of this class gives each batch's time per step.
 */
@Service
public class Rating {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Rating.class);

    /**
     * Lines are locked for rating in stripes (line id modulo this), with transaction-scoped advisory
     * locks taken in ascending order: two batches sharing a line queue, never deadlock, and no line row
     * is written to lock it. A large batch takes every stripe, so large batches rate one after another
     * (on every node alike), while small ones for different lines still pass each other.
     */
    static final int LOCK_STRIPES = 64;
    /** The advisory lock key space of rating ("usag"), so its stripes collide with no other advisory lock. */
    static final int LOCK_SPACE = 0x75736167;

    /**
     * A batch is rated in this many transactions, each for the lines of {@code LOCK_STRIPES / SHARDS}
     * stripes, side by side (see {@link #rateShardsSideBySide}): a batch's records are each rated once and wholly or
     * not at all, but not all in one transaction (a shard that fails leaves the others rated; sent again, their records
     * are duplicates and the rest are rated).
     */
    static final int SHARDS = 4;

    static int lockStripe(long lineId) {
        return (int) Math.floorMod(lineId, (long) LOCK_STRIPES);
    }

    /** A record may be stamped a little ahead of the hall's clock; beyond this it is in the future. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    public static final int MAX_BATCH = 10_000;

    private final JdbcClient jdbc;
    private final DataSource dataSource;
    private final SQLExceptionTranslator sqlErrors;
    private final Customers customers;
    private final Inventory inventory;
    private final Catalog catalog;
    private final Ledger ledger;
    private final LineSuspension suspension;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final ApplicationEventPublisher events;
    private final Map<String, Offering> plans = new ConcurrentHashMap<>();
    /**
     * Rates a batch's other shards while the calling thread rates its first. Each task holds a pooled connection while it
     * runs, so there are fewer of them than the pool has connections; more shards than threads simply queue.
     */
    private final ExecutorService shardWorkers;
    static final int SHARD_WORKERS = 8;
    /**
     * Lines by number, kept across batches: a number belongs to one line for good (line.msisdn is unique, and
     * V96 refuses to change a line's number or owner or to delete a line), so a line once found stays right.
     */
    private final Map<String, RatedLine> knownLines = new ConcurrentHashMap<>();
    static final int KNOWN_LINES_MAX = 1_000_000;
    /**
     * The buckets of lines rated lately, so a batch reads only the others (see {@link BucketCache}); at most
     * {@code telehall.usage.bucket-cache-lines} lines (a line with three buckets takes roughly 0.4 KB of heap, so the
     * default 200,000 about 90 MB; 0 turns the cache off: every batch reads its lines' buckets).
     */
    private final BucketCache bucketCache;
    private volatile Tariffs tariffs;
    private volatile Map<String, String> offeringZones;

    Rating(JdbcClient jdbc, DataSource dataSource, Customers customers, Inventory inventory, Catalog catalog, Ledger ledger,
           LineSuspension suspension, TransactionTemplate tx, Clock clock, ApplicationEventPublisher events,
           @Value("${telehall.usage.bucket-cache-lines:200000}") int bucketCacheLines) {
        this.bucketCache = new BucketCache(bucketCacheLines);
        this.jdbc = jdbc;
        this.dataSource = dataSource;
        this.sqlErrors = new SQLErrorCodeSQLExceptionTranslator(dataSource);
        this.customers = customers;
        this.inventory = inventory;
        this.catalog = catalog;
        this.ledger = ledger;
        this.suspension = suspension;
        this.tx = tx;
        this.clock = clock;
        this.events = events;
        AtomicInteger n = new AtomicInteger();
        this.shardWorkers = Executors.newFixedThreadPool(SHARD_WORKERS, r -> {
            Thread thread = new Thread(r, "rating-shard-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stopShardWorkers() {
        shardWorkers.shutdown();
    }

    /** Rates a batch; the outcomes are in the order of the submissions. */
    public List<RatingOutcome> rate(List<UsageSubmission> batch) {
        if (batch.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a usage batch holds at most " + MAX_BATCH + " records, this one " + batch.size());
        }
        Timings t = new Timings(System.nanoTime());
        Instant now = clock.instant();
        RatingOutcome[] outcomes = new RatingOutcome[batch.size()];
        Set<String> msisdns = new HashSet<>();
        batch.forEach(s -> {
            if (s.msisdn() != null) {
                msisdns.add(s.msisdn().trim());
            }
        });
        Map<String, RatedLine> lines = lines(msisdns);
        t.mark("lines");
        Tariffs tariffs = tariffs();
        Set<String> inBatch = new HashSet<>();
        List<Pending> pending = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            UsageSubmission s = batch.get(i);
            Parsed parsed = parse(s, now, tariffs);
            if (parsed.rejection() != null) {
                outcomes[i] = RatingOutcome.rejected(s.networkId(), parsed.rejection());
                continue;
            }
            RatedLine line = lines.get(s.msisdn().trim());
            if (line == null) {
                outcomes[i] = RatingOutcome.rejected(s.networkId(), Rejection.UNKNOWN_LINE);
            } else if (!inBatch.add(parsed.record().networkId())) {
                outcomes[i] = RatingOutcome.duplicate(s.networkId());
            } else {
                pending.add(new Pending(i, line, parsed.record()));
            }
        }
        t.mark("parse");
        // One transaction per shard of lines: batches from several clients or nodes that share lines (large
        // ones always do) rate different shards at the same time instead of queueing for the whole batch.
        List<List<Pending>> shards = new ArrayList<>(SHARDS);
        for (int i = 0; i < SHARDS; i++) {
            shards.add(new ArrayList<>());
        }
        pending.forEach(p -> shards.get(lockStripe(p.line().id()) / (LOCK_STRIPES / SHARDS)).add(p));
        int first = ThreadLocalRandom.current().nextInt(SHARDS);
        List<List<Pending>> toRate = new ArrayList<>(SHARDS);
        for (int i = 0; i < SHARDS; i++) {
            List<Pending> shard = shards.get((first + i) % SHARDS);
            if (!shard.isEmpty()) {
                toRate.add(shard);
            }
        }
        Timings[] shardTimes = new Timings[toRate.size()];
        if (toRate.size() < 2 || TransactionSynchronizationManager.isActualTransactionActive()) {
            // within a caller's transaction every shard joins it, as it always did, so they stay on its thread
            for (int i = 0; i < toRate.size(); i++) {
                shardTimes[i] = rateShard(toRate.get(i), outcomes, now, tariffs);
            }
        } else {
            rateShardsSideBySide(toRate, outcomes, now, tariffs, shardTimes);
        }
        if (log.isDebugEnabled()) {
            log.debug("rated a batch of {} ({} lines): {} shards {}", batch.size(), msisdns.size(), t, Arrays.toString(shardTimes));
        }
        return List.of(outcomes);
    }

    /** One shard in its own transaction; how long its steps took. */
    private Timings rateShard(List<Pending> shard, RatingOutcome[] outcomes, Instant now, Tariffs tariffs) {
        Timings t = new Timings(System.nanoTime());
        tx.executeWithoutResult(status -> ratePending(shard, outcomes, now, tariffs, t, status));
        t.mark("commit");
        return t;
    }

    /**
     * The shards of one batch at the same time, each in its own transaction on its own connection (this thread rates
     * the first): a batch is answered once its slowest shard commits instead of after all four one by one, and while one
     * shard waits for the database (its commit's WAL flush, a round trip) another keeps the JVM busy. The shards hold
     * different lines, so they take different line locks; their ledger accounts are locked in ascending order as any two
     * rating transactions' are. Outcomes go to different slots of {@code outcomes}, read after every shard is done.
     * A shard that fails does not stop the others; the first failure is thrown once all are done.
     */
    private void rateShardsSideBySide(List<List<Pending>> toRate, RatingOutcome[] outcomes, Instant now, Tariffs tariffs,
                                      Timings[] shardTimes) {
        List<Future<Timings>> others = new ArrayList<>(toRate.size() - 1);
        for (int i = 1; i < toRate.size(); i++) {
            List<Pending> shard = toRate.get(i);
            others.add(shardWorkers.submit(() -> rateShard(shard, outcomes, now, tariffs)));
        }
        RuntimeException failure = null;
        try {
            shardTimes[0] = rateShard(toRate.get(0), outcomes, now, tariffs);
        } catch (RuntimeException e) {
            failure = e;
        }
        boolean interrupted = false;
        for (int i = 0; i < others.size(); i++) {
            try {
                while (true) {
                    try {
                        shardTimes[i + 1] = others.get(i).get();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;   // the shard runs on regardless: wait for it, then pass the interrupt on
                    }
                }
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause() instanceof RuntimeException r ? r : new IllegalStateException("rating a shard failed", e.getCause());
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The lines of these numbers, from {@link #knownLines} where a number was seen before; only numbers not seen
     * yet are looked up (in one query), and only lines found are kept.
     */
    private Map<String, RatedLine> lines(Set<String> msisdns) {
        Map<String, RatedLine> lines = new HashMap<>(msisdns.size() * 2);
        List<String> unknown = new ArrayList<>();
        for (String msisdn : msisdns) {
            RatedLine known = knownLines.get(msisdn);
            if (known != null) {
                lines.put(msisdn, known);
            } else {
                unknown.add(msisdn);
            }
        }
        if (unknown.isEmpty()) {
            return lines;
        }
        if (knownLines.size() + unknown.size() > KNOWN_LINES_MAX) {
            knownLines.clear();  // bounded memory; the numbers rated from now on are read again once
        }
        customers.linesByMsisdn(unknown).forEach(l -> {
            RatedLine line = new RatedLine(l.id(), l.customerId(), l.msisdn().value());
            lines.put(line.msisdn(), line);
            knownLines.put(line.msisdn(), line);
        });
        return lines;
    }

    /**
     * Claims the records' network ids in usage_seen (in the order given) and answers those claimed now; the others
     * were rated before. Nearly every record is new, so the claim is first a plain COPY (rows go into the table a page
     * at a time, one WAL record per page instead of one per row; {@code on conflict} would also cost every row another
     * index probe and WAL record). Only if some id is there already does it go back to a savepoint and claim with
     * {@code on conflict do nothing}.
     */
    private Set<String> claim(List<Pending> byId, TransactionStatus status) {
        BinaryCopy rows = new BinaryCopy(byId.size() * 48);
        for (Pending p : byId) {
            rows.row(2).textField(p.record().networkId()).int8Field(p.line().id());
        }
        Object beforeClaim = status.createSavepoint();
        try {
            copyIn("copy usage_seen (network_id, line_id) from stdin with (format binary)", rows);
            status.releaseSavepoint(beforeClaim);
            Set<String> claimed = new HashSet<>(byId.size() * 2);
            byId.forEach(p -> claimed.add(p.record().networkId()));
            return claimed;
        } catch (DuplicateKeyException seenBefore) {
            status.rollbackToSavepoint(beforeClaim);
            status.releaseSavepoint(beforeClaim);
        }
        String[] ids = byId.stream().map(p -> p.record().networkId()).toArray(String[]::new);
        long[] lineIds = byId.stream().mapToLong(p -> p.line().id()).toArray();
        return new HashSet<>(jdbc.sql("""
                insert into usage_seen (network_id, line_id) select * from unnest(?::varchar[], ?::bigint[])
                on conflict do nothing returning network_id
                """).params(ids, lineIds).query(String.class).list());
    }

    /**
     * COPY ... FROM STDIN of binary rows on the transaction's connection. A database error is
     * translated as JdbcClient's statements are (a unique violation is a {@link DuplicateKeyException}).
     */
    private void copyIn(String copy, BinaryCopy rows) {
        Connection connection = DataSourceUtils.getConnection(dataSource);
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy, rows.finish());
        } catch (SQLException e) {
            DataAccessException translated = sqlErrors.translate("COPY", copy, e);
            throw translated != null ? translated : new UncategorizedSQLException("COPY", copy, e);
        } catch (IOException e) {
            throw new IllegalStateException(copy + " failed", e);
        } finally {
            DataSourceUtils.releaseConnection(connection, dataSource);
        }
    }

    /** How long each step of a batch took, for the debug log: "parse=12ms lock=30ms ...". */
    private static final class Timings {
        private long last;
        private final StringBuilder text = new StringBuilder();

        Timings(long start) {
            last = start;
        }

        void mark(String step) {
            long now = System.nanoTime();
            text.append(step).append('=').append((now - last) / 1_000_000).append("ms ");
            last = now;
        }

        @Override
        public String toString() {
            return text.toString().trim();
        }
    }

    private void ratePending(List<Pending> pending, RatingOutcome[] outcomes, Instant now, Tariffs tariffs, Timings t,
                             TransactionStatus status) {
        // Claim the network ids first, before any line lock: in network id order, so two transactions claiming
        // the same ids wait for each other in one order; a transaction holding line locks never waits for a claim.
        List<Pending> byId = new ArrayList<>(pending);
        byId.sort(Comparator.comparing(p -> p.record().networkId()));
        Set<String> fresh = claim(byId, status);
        t.mark("seen");
        Map<Long, List<Pending>> byLine = new TreeMap<>();
        Instant earliest = now;
        for (Pending p : pending) {
            if (!fresh.contains(p.record().networkId())) {
                outcomes[p.index()] = RatingOutcome.duplicate(p.record().networkId());
                continue;
            }
            byLine.computeIfAbsent(p.line().id(), id -> new ArrayList<>()).add(p);
            if (p.record().startedAt().isBefore(earliest)) {
                earliest = p.record().startedAt();
            }
        }
        if (byLine.isEmpty()) {
            return;
        }
        Map<Long, String> planOf = inventory.planOfferings(byLine.keySet(), now);
        t.mark("plans");

        // From here to the commit the batch's lines are this transaction's alone: buckets read, used, written back.
        int[] stripes = byLine.keySet().stream().mapToInt(Rating::lockStripe).distinct().sorted().toArray();
        jdbc.sql("select count(pg_advisory_xact_lock(?, s)) from unnest(?::int[]) as s").params(LOCK_SPACE, stripes)
                .query(Long.class).single();
        t.mark("lock");
        Map<Integer, Long> generations = moveStripes(stripes);
        Map<Long, BucketCache.Line> lineStates = bucketCache.get(byLine.keySet(), generations, earliest);
        List<Long> unknown = new ArrayList<>();
        for (Long lineId : byLine.keySet()) {
            if (!lineStates.containsKey(lineId)) {
                unknown.add(lineId);
            }
        }
        Map<Long, BucketCache.Line> readNow = readBuckets(unknown, earliest, now);
        lineStates.putAll(readNow);
        Map<Long, List<RatingBucket>> buckets = new HashMap<>(byLine.size() * 2);
        for (Map.Entry<Long, List<Pending>> entry : byLine.entrySet()) {
            int kinds = kindBit(UsageType.DATA);
            for (Pending p : entry.getValue()) {
                kinds |= kindBit(p.record().type());
            }
            buckets.put(entry.getKey(), forRating(lineStates.get(entry.getKey()), kinds, earliest, now));
        }
        t.mark("buckets");

        List<RatedRecord> rated = new ArrayList<>();
        Map<Long, long[]> bucketDeltas = new LinkedHashMap<>();
        List<LineCharges> charges = new ArrayList<>();
        List<UsageRated> ratedEvents = new ArrayList<>();
        Map<String, long[]> roamingKb = new TreeMap<>();
        for (Map.Entry<Long, List<Pending>> entry : byLine.entrySet()) {
            List<Pending> records = entry.getValue();
            records.sort(Comparator.comparing((Pending p) -> p.record().startedAt()).thenComparing(p -> p.record().networkId()));
            RatedLine line = records.get(0).line();
            List<RatingBucket> lineBuckets = buckets.getOrDefault(line.id(), List.of());
            long dataTotal = 0;
            long dataBefore = 0;
            long domesticUsedBefore = 0;
            for (RatingBucket b : lineBuckets) {
                if (b.kind == UsageType.DATA && b.zone == null && b.inForce(now)) {
                    dataTotal += b.initial;
                    dataBefore += b.used;
                }
                if (b.kind == UsageType.DATA && b.zone == null) {
                    domesticUsedBefore += b.used;
                }
            }
            long domesticKb = 0;
            Offering plan = plan(planOf.get(line.id()));
            LineCharges lineCharges = new LineCharges(line);
            Instant latest = null;
            for (Pending p : records) {
                Record r = p.record();
                long fen = rateOne(r, lineBuckets, plan, tariffs);
                rated.add(new RatedRecord(line.id(), r, fen));
                outcomes[p.index()] = RatingOutcome.rated(r.networkId(), fen);
                lineCharges.add(r, fen);
                latest = latest == null || r.startedAt().isAfter(latest) ? r.startedAt() : latest;
                if (r.roamingCountry() == null && r.type() == UsageType.DATA) {
                    domesticKb += r.volumeKb();
                }
                if (r.roamingCountry() != null && r.type() == UsageType.DATA) {
                    roamingKb.computeIfAbsent(line.id() + ":" + r.roamingCountry(), k -> new long[] {Long.MAX_VALUE, 0})[1] += r.volumeKb();
                    long[] first = roamingKb.get(line.id() + ":" + r.roamingCountry());
                    first[0] = Math.min(first[0], r.startedAt().toEpochMilli());
                }
            }
            long dataAfter = 0;
            long domesticUsedAfter = 0;
            for (RatingBucket b : lineBuckets) {
                if (b.delta > 0) {
                    bucketDeltas.put(b.id, new long[] {b.delta});
                }
                if (b.kind == UsageType.DATA && b.zone == null && b.inForce(now)) {
                    dataAfter += b.used;
                }
                if (b.kind == UsageType.DATA && b.zone == null) {
                    domesticUsedAfter += b.used;
                }
            }
            charges.add(lineCharges);
            ratedEvents.add(new UsageRated(line.id(), line.customerId(), line.msisdn(), latest, dataTotal, dataBefore,
                    dataAfter, domesticKb - (domesticUsedAfter - domesticUsedBefore), Money.ofFen(lineCharges.total()), List.of()));
        }
        t.mark("compute");
        writeBuckets(bucketDeltas);
        rememberAfterCommit(generations, lineStates, readNow.keySet(), buckets);
        t.mark("bucketWrite");
        insertRecords(rated);
        t.mark("records");
        Map<Long, List<UsageRated.Roaming>> roaming = recordRoaming(roamingKb);
        t.mark("roaming");
        postCharges(charges, now);
        t.mark("ledger");
        List<UsageRated> lineEvents = new ArrayList<>(ratedEvents.size());
        for (UsageRated e : ratedEvents) {
            lineEvents.add(roaming.containsKey(e.lineId())
                    ? new UsageRated(e.lineId(), e.customerId(), e.msisdn(), e.latestUsage(), e.dataTotal(), e.dataBefore(),
                            e.dataAfter(), e.dataBeyond(), e.charged(), roaming.get(e.lineId()))
                    : e);
        }
        events.publishEvent(new UsageRated.Batch(List.copyOf(lineEvents)));
        t.mark("events");
    }

    /**
     * The most a rated record may cost: its whole quantity, as if no allowance covered any of it, at
     * the rates that applied — the roaming zone's, or {@code planPriceThen} (the plan's price version
     * in force when the record started) at home; nothing for free numbers and incoming calls or SMS at
     * home. A charge above this is an overcharge whatever the allowances were.
     */
    public Money maxCharge(UsageRecord r, org.telehall.catalog.Price planPriceThen) {
        Tariffs tariffs = tariffs();
        if (r.otherParty() != null && tariffs.freeNumbers().contains(r.otherParty()) && r.type() != UsageType.DATA) {
            return Money.ZERO;
        }
        boolean roaming = r.roamingCountry() != null;
        if (!roaming && "IN".equals(r.direction()) && r.type() != UsageType.DATA) {
            return Money.ZERO;
        }
        long quantity = switch (r.type()) {
            case DATA -> r.volumeKb();
            case VOICE -> (r.durationSeconds() + 59) / 60;
            case SMS -> 1;
        };
        if (roaming) {
            ZoneRate rate = tariffs.zones().get(tariffs.zoneOf(r.roamingCountry()));
            if (rate == null) {
                return r.charge();
            }
            return Money.ofFen(switch (r.type()) {
                case DATA -> ceilDiv(quantity * rate.dataFenPerMb(), 1024);
                case VOICE -> quantity * rate.voiceFenPerMin();
                case SMS -> quantity * rate.smsFen();
            });
        }
        if (planPriceThen == null) {
            return Money.ZERO;
        }
        return Money.ofFen(switch (r.type()) {
            case DATA -> ceilDiv(quantity * planPriceThen.dataOveragePerMb().fen(), 1024);
            case VOICE -> quantity * planPriceThen.voiceOveragePerMinute().fen();
            case SMS -> quantity * planPriceThen.smsOverage().fen();
        });
    }

    /** Consumes allowances for one record and returns what is left to charge, in fen. */
    private long rateOne(Record r, List<RatingBucket> buckets, Offering plan, Tariffs tariffs) {
        if (r.otherParty() != null && tariffs.freeNumbers().contains(r.otherParty()) && r.type() != UsageType.DATA) {
            return 0;
        }
        boolean roaming = r.roamingCountry() != null;
        if (!roaming && "IN".equals(r.direction()) && r.type() != UsageType.DATA) {
            return 0;   // domestic incoming calls and messages are free
        }
        String zone = roaming ? tariffs.zoneOf(r.roamingCountry()) : null;
        long quantity = switch (r.type()) {
            case DATA -> r.volumeKb();
            case VOICE -> (r.durationSeconds() + 59) / 60;
            case SMS -> Math.max(1, r.count());
        };
        long left = quantity;
        for (RatingBucket b : buckets) {
            if (left == 0) {
                break;
            }
            if (b.kind != r.type() || !b.covers(zone) || !b.validAt(r.startedAt())) {
                continue;
            }
            long take = Math.min(left, b.initial - b.used);
            b.used += take;
            b.delta += take;
            left -= take;
        }
        if (left == 0) {
            return 0;
        }
        if (roaming) {
            ZoneRate rate = tariffs.zones().get(zone);
            return switch (r.type()) {
                case DATA -> ceilDiv(left * rate.dataFenPerMb(), 1024);
                case VOICE -> left * rate.voiceFenPerMin();
                case SMS -> left * rate.smsFen();
            };
        }
        if (plan == null) {
            return 0;
        }
        return switch (r.type()) {
            case DATA -> ceilDiv(left * plan.price().dataOveragePerMb().fen(), 1024);
            case VOICE -> left * plan.price().voiceOveragePerMinute().fen();
            case SMS -> left * plan.price().smsOverage().fen();
        };
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /**
     * The order allowances are used in: packs (nearest expiry first), then data rolled over from the last cycle
     * (it expires with this cycle and cannot roll again, so it goes before the plan's own), then the plan.
     */
    static int sourceRank(String source) {
        return switch (source) {
            case "PACK" -> 0;
            case "ROLLOVER" -> 1;
            default -> 2;
        };
    }

    private static int kindBit(UsageType kind) {
        return 1 << kind.ordinal();
    }

    /**
     * Moves the generations of these stripes on (their locks are this transaction's): the bucket cache of every node
     * then knows that their lines' buckets changed. The generation of each after this transaction.
     */
    private Map<Integer, Long> moveStripes(int[] stripes) {
        Map<Integer, Long> generations = new HashMap<>(stripes.length * 2);
        // through the function the bucket triggers use (V98/V99): the rows locked in one order, never in opposite ones
        jdbc.sql("select stripe, generation from move_stripes(?)")
                .param(stripes).query(rs -> {
                    generations.put(rs.getInt(1), rs.getLong(2));
                });
        return generations;
    }

    /** How far back a line's buckets are read for the cache: records are late by minutes, rarely by more than a day. */
    static final Duration CACHE_HORIZON = Duration.ofDays(1);

    /**
     * These lines' buckets from the table: every kind, and those not started yet, ending after the batch's first record
     * or a {@link #CACHE_HORIZON} ago, whichever is earlier (so the same read serves later batches from the cache); each
     * line's in the order they are used (see {@link #sourceRank}). A line without buckets is there with none.
     */
    private Map<Long, BucketCache.Line> readBuckets(List<Long> lineIds, Instant earliest, Instant now) {
        Map<Long, BucketCache.Line> byLine = new HashMap<>(lineIds.size() * 2);
        if (lineIds.isEmpty()) {
            return byLine;
        }
        Instant horizon = earliest.isBefore(now.minus(CACHE_HORIZON)) ? earliest : now.minus(CACHE_HORIZON);
        Map<Long, List<BucketCache.State>> states = new HashMap<>(lineIds.size() * 2);
        jdbc.sql("""
                select id, line_id, kind, initial_amount, used_amount, valid_from, valid_to, offering_id, source from bucket
                 where line_id = any(:lines) and valid_to > :horizon
                """).param("lines", lineIds.stream().mapToLong(Long::longValue).toArray()).param("horizon", Timestamp.from(horizon))
                .query(rs -> {
                    states.computeIfAbsent(rs.getLong(2), id -> new ArrayList<>(4)).add(new BucketCache.State(
                            rs.getLong(1), UsageType.valueOf(rs.getString(3)), rs.getLong(4), rs.getLong(5),
                            rs.getTimestamp(6).toInstant(), rs.getTimestamp(7).toInstant(), roamingZone(rs.getString(8)),
                            sourceRank(rs.getString(9))));
                });
        Comparator<BucketCache.State> order = Comparator.comparingInt(BucketCache.State::rank).thenComparing(BucketCache.State::validTo)
                .thenComparingLong(BucketCache.State::id);
        for (Long lineId : lineIds) {
            List<BucketCache.State> line = states.getOrDefault(lineId, new ArrayList<>(0));
            line.sort(order);
            byLine.put(lineId, new BucketCache.Line(horizon, List.copyOf(line)));
        }
        return byLine;
    }

    /**
     * The buckets of a line that may serve the batch, in the order they are used: those in force by now that end after
     * its first record, of the kinds in {@code kinds} (bits of {@link #kindBit}) only: a line's records use buckets of
     * their own kind, and most lines in a batch have one or two records.
     */
    private static List<RatingBucket> forRating(BucketCache.Line line, int kinds, Instant earliest, Instant now) {
        List<RatingBucket> buckets = new ArrayList<>(line.buckets().size());
        for (BucketCache.State b : line.buckets()) {
            if ((kinds & kindBit(b.kind())) != 0 && b.validTo().isAfter(earliest) && !b.validFrom().isAfter(now)) {
                buckets.add(new RatingBucket(b));
            }
        }
        return buckets;
    }

    /**
     * Once this transaction has committed, the buckets of the lines it read from the table or changed go into the cache
     * as it left them (the others' are there as they were); nothing does if it rolls back (also when it is part of a
     * caller's transaction that does).
     */
    private void rememberAfterCommit(Map<Integer, Long> generations, Map<Long, BucketCache.Line> lineStates, Set<Long> fresh,
                                     Map<Long, List<RatingBucket>> used) {
        Map<Long, BucketCache.Line> after = new HashMap<>();
        used.forEach((lineId, rated) -> {
            boolean changed = false;
            for (RatingBucket b : rated) {
                changed |= b.delta > 0;
            }
            BucketCache.Line line = lineStates.get(lineId);
            if (changed) {
                List<BucketCache.State> states = new ArrayList<>(line.buckets().size());
                for (BucketCache.State s : line.buckets()) {
                    long delta = 0;
                    for (RatingBucket b : rated) {
                        if (b.id == s.id()) {
                            delta = b.delta;
                        }
                    }
                    states.add(delta == 0 ? s : new BucketCache.State(s.id(), s.kind(), s.initial(), s.used() + delta, s.validFrom(),
                            s.validTo(), s.zone(), s.rank()));
                }
                after.put(lineId, new BucketCache.Line(line.horizon(), List.copyOf(states)));
            } else if (fresh.contains(lineId)) {
                after.put(lineId, line);
            }
        });
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                bucketCache.install(generations, after);
            }
        });
    }

    /** The roaming zone an offering's buckets serve (null: at home); offerings are read again when one is new. */
    private String roamingZone(String offeringId) {
        Map<String, String> zones = offeringZones;
        if (zones == null || !zones.containsKey(offeringId)) {
            Map<String, String> fresh = new HashMap<>();
            jdbc.sql("select id, roaming_zone from catalog_offering").query(rs -> {
                fresh.put(rs.getString(1), rs.getString(2));
            });
            offeringZones = zones = fresh;
        }
        return zones.get(offeringId);
    }

    /**
     * The buckets' new use. Rating has moved its stripes' generations on itself, so it marks its own writes
     * ({@code telehall.rating_writes}) for V98's trigger, which moves them on for every other change, to pass over them.
     */
    private void writeBuckets(Map<Long, long[]> deltas) {
        if (deltas.isEmpty()) {
            return;
        }
        jdbc.sql("select set_config('telehall.rating_writes', 'on', true)").query(String.class).single();
        jdbc.sql("""
                update bucket b set used_amount = b.used_amount + d.delta
                  from unnest(?::bigint[], ?::bigint[]) as d(id, delta) where b.id = d.id
                """).params(deltas.keySet().stream().mapToLong(Long::longValue).toArray(),
                        deltas.values().stream().mapToLong(d -> d[0]).toArray())
                .update();
        jdbc.sql("select set_config('telehall.rating_writes', 'off', true)").query(String.class).single();
    }

    /**
     * The rated records in with COPY: one round trip and no per-row statement work, whatever the batch size.
     * {@code rated_at} is the column's default, the transaction's start (nothing reads it back but people).
     */
    private void insertRecords(List<RatedRecord> rated) {
        BinaryCopy rows = new BinaryCopy(rated.size() * 140);
        for (RatedRecord rr : rated) {
            Record r = rr.record();
            rows.row(10).textField(r.networkId()).int8Field(rr.lineId()).textField(r.type().name()).textField(r.direction())
                    .timestamptzField(r.startedAt());
            (r.otherParty() == null ? rows.nullField() : rows.textField(r.otherParty())).int4Field(r.durationSeconds())
                    .int8Field(r.volumeKb());
            (r.roamingCountry() == null ? rows.nullField() : rows.textField(r.roamingCountry())).int8Field(rr.chargeFen());
        }
        copyIn("""
                copy usage_record (network_id, line_id, usage_type, direction, started_at, other_party, duration_sec,
                                   volume_kb, roaming_country, charge_fen) from stdin with (format binary)
                """, rows);
    }

    /** Roaming data per line and country, one statement for the batch; what each had before and after. */
    private Map<Long, List<UsageRated.Roaming>> recordRoaming(Map<String, long[]> roamingKb) {
        Map<Long, List<UsageRated.Roaming>> byLine = new HashMap<>();
        if (roamingKb.isEmpty()) {
            return byLine;
        }
        int n = roamingKb.size();
        long[] lineIds = new long[n];
        String[] countries = new String[n];
        String[] firsts = new String[n];
        long[] kbs = new long[n];
        int i = 0;
        for (Map.Entry<String, long[]> e : roamingKb.entrySet()) {
            String key = e.getKey();
            lineIds[i] = Long.parseLong(key.substring(0, key.indexOf(':')));
            countries[i] = key.substring(key.indexOf(':') + 1);
            firsts[i] = Instant.ofEpochMilli(e.getValue()[0]).toString();
            kbs[i] = e.getValue()[1];
            i++;
        }
        jdbc.sql("""
                insert into line_roaming as r (line_id, country, first_usage, data_kb)
                select * from unnest(?::bigint[], ?::varchar[], ?::timestamptz[], ?::bigint[])
                on conflict (line_id, country) do update set data_kb = r.data_kb + excluded.data_kb,
                    first_usage = least(r.first_usage, excluded.first_usage)
                returning line_id, country, data_kb, first_usage
                """).params(lineIds, countries, firsts, kbs)
                .query(rs -> {
                    long lineId = rs.getLong(1);
                    String country = rs.getString(2);
                    long added = roamingKb.get(lineId + ":" + country)[1];
                    byLine.computeIfAbsent(lineId, id -> new ArrayList<>()).add(new UsageRated.Roaming(country,
                            rs.getLong(3) - added, rs.getLong(3), rs.getTimestamp(4).toInstant()));
                });
        return byLine;
    }

    /**
     * One posting per line and kind of charge (domestic data, calls, SMS, and all roaming as one), all through the ledger
     * in one call (customers in ascending order, as before).
     */
    private void postCharges(List<LineCharges> charges, Instant now) {
        // most lines of a batch are charged nothing (their allowance covered it): only the others are sorted and posted
        List<LineCharges> toPost = new ArrayList<>();
        for (LineCharges c : charges) {
            if (!c.byKind.isEmpty()) {
                toPost.add(c);
            }
        }
        toPost.sort(Comparator.comparingLong((LineCharges c) -> c.line.customerId()).thenComparingLong(c -> c.line.id()));
        List<Posting> postings = new ArrayList<>();
        List<RatedLine> postingLine = new ArrayList<>();
        for (LineCharges c : toPost) {
            for (Map.Entry<ChargeKind, long[]> e : c.byKind.entrySet()) {
                long fen = e.getValue()[0];
                if (fen == 0) {
                    continue;
                }
                // the first network id rated for this line and kind in this batch was rated once, so the key is once too
                String key = "usage:" + c.line.id() + ":" + e.getKey().keyLetter + ":" + c.firstNetworkId.get(e.getKey());
                postings.add(new Posting(c.line.customerId(), Money.ofFen(fen), key, e.getKey().reasonCode, c.line.msisdn()));
                postingLine.add(c.line);
            }
        }
        if (postings.isEmpty()) {
            return;
        }
        List<UsageCharge> charged = ledger.chargeUsages(postings, "USAGE", now);
        List<String> keys = new ArrayList<>();
        List<Long> shortCustomers = new ArrayList<>();
        List<Long> shortLines = new ArrayList<>();
        List<Long> shortFen = new ArrayList<>();
        Set<Long> exhausted = new java.util.TreeSet<>();
        for (int i = 0; i < postings.size(); i++) {
            UsageCharge c = charged.get(i);
            if (c.shortfall().isPositive()) {
                keys.add(postings.get(i).businessKey());
                shortCustomers.add(postings.get(i).customerId());
                shortLines.add(postingLine.get(i).id());
                shortFen.add(c.shortfall().fen());
            }
            if (c.creditExhausted()) {
                exhausted.add(postings.get(i).customerId());
            }
        }
        if (!keys.isEmpty()) {
            jdbc.sql("""
                    insert into usage_shortfall (business_key, customer_id, line_id, amount_fen)
                    select * from unnest(?::varchar[], ?::bigint[], ?::bigint[], ?::bigint[])
                    """).params(keys.toArray(String[]::new), shortCustomers.stream().mapToLong(Long::longValue).toArray(),
                            shortLines.stream().mapToLong(Long::longValue).toArray(), shortFen.stream().mapToLong(Long::longValue).toArray())
                    .update();
        }
        exhausted.forEach(suspension::suspendForArrears);
    }

    /** What a charge is posted as: domestic usage by its type, roaming usage of any type under one reason code. */
    enum ChargeKind {
        DATA('D', ReasonCodes.USAGE_DATA), VOICE('V', ReasonCodes.USAGE_VOICE), SMS('S', ReasonCodes.USAGE_SMS),
        ROAMING('R', ReasonCodes.USAGE_ROAMING);

        final char keyLetter;
        final String reasonCode;

        ChargeKind(char keyLetter, String reasonCode) {
            this.keyLetter = keyLetter;
            this.reasonCode = reasonCode;
        }

        static ChargeKind of(Record r) {
            if (r.roamingCountry() != null) {
                return ROAMING;
            }
            return switch (r.type()) {
                case DATA -> DATA;
                case VOICE -> VOICE;
                case SMS -> SMS;
            };
        }
    }

    private Offering plan(String offeringId) {
        if (offeringId == null) {
            return null;
        }
        return plans.computeIfAbsent(offeringId, catalog::get);
    }

    private Tariffs tariffs() {
        Tariffs t = tariffs;
        if (t == null) {
            Map<String, ZoneRate> zones = new HashMap<>();
            jdbc.sql("select * from roaming_zone").query(rs -> {
                zones.put(rs.getString("zone"), new ZoneRate(rs.getInt("data_fen_per_mb"), rs.getInt("voice_fen_per_min"), rs.getInt("sms_fen")));
            });
            Map<String, String> countries = new HashMap<>();
            jdbc.sql("select country, zone from roaming_country").query(rs -> {
                countries.put(rs.getString(1), rs.getString(2));
            });
            Set<String> free = Set.copyOf(jdbc.sql("select number from free_number").query(String.class).list());
            t = new Tariffs(zones, countries, free);
            tariffs = t;
        }
        return t;
    }

    /** Checks and normalises one submission; a record or the reason it cannot be rated. */
    static Parsed parse(UsageSubmission s, Instant now, Tariffs tariffs) {
        if (s.networkId() == null || s.networkId().isBlank() || s.networkId().length() > 64) {
            return Parsed.rejected(Rejection.MISSING_ID);
        }
        if (s.msisdn() == null || s.msisdn().isBlank()) {
            return Parsed.rejected(Rejection.UNKNOWN_LINE);
        }
        UsageType type;
        try {
            type = UsageType.valueOf(s.usageType() == null ? "" : s.usageType().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Parsed.rejected(Rejection.BAD_TYPE);
        }
        Instant startedAt;
        try {
            startedAt = isoInstant(s.usageDate() == null ? "" : s.usageDate().trim());
        } catch (DateTimeParseException e) {
            return Parsed.rejected(Rejection.BAD_TIME);
        }
        if (startedAt.isAfter(now.plus(CLOCK_SKEW))) {
            return Parsed.rejected(Rejection.FUTURE_TIME);
        }
        BigDecimal quantity = s.quantity() == null ? (type == UsageType.SMS ? BigDecimal.ONE : null) : s.quantity();
        if (quantity == null) {
            return Parsed.rejected(Rejection.BAD_QUANTITY);
        }
        if (quantity.signum() < 0) {
            return Parsed.rejected(Rejection.NEGATIVE_QUANTITY);
        }
        String unit = s.unit() == null ? "" : s.unit().trim().toUpperCase(Locale.ROOT);
        long kb = 0;
        int seconds = 0;
        int count = 0;
        try {
            switch (type) {
                case DATA -> kb = switch (unit) {
                    case "B", "BYTE", "BYTES" -> quantity.divide(BigDecimal.valueOf(1024), 0, RoundingMode.CEILING).longValueExact();
                    case "KB", "" -> quantity.setScale(0, RoundingMode.CEILING).longValueExact();
                    case "MB" -> quantity.multiply(BigDecimal.valueOf(1024)).setScale(0, RoundingMode.CEILING).longValueExact();
                    case "GB" -> quantity.multiply(BigDecimal.valueOf(1024L * 1024)).setScale(0, RoundingMode.CEILING).longValueExact();
                    default -> throw new ArithmeticException("unit " + unit);
                };
                case VOICE -> seconds = switch (unit) {
                    case "S", "SEC", "SECOND", "SECONDS", "" -> quantity.setScale(0, RoundingMode.CEILING).intValueExact();
                    case "MIN", "MINUTE", "MINUTES" -> quantity.multiply(BigDecimal.valueOf(60)).setScale(0, RoundingMode.CEILING).intValueExact();
                    default -> throw new ArithmeticException("unit " + unit);
                };
                case SMS -> count = quantity.setScale(0, RoundingMode.CEILING).intValueExact();
            }
        } catch (ArithmeticException e) {
            return Parsed.rejected(Rejection.BAD_QUANTITY);
        }
        String country = s.roamingCountry() == null || s.roamingCountry().isBlank() || "CN".equalsIgnoreCase(s.roamingCountry().trim())
                ? null : s.roamingCountry().trim().toUpperCase(Locale.ROOT);
        if (country != null && !(country.length() == 2 && isUpperLetter(country.charAt(0)) && isUpperLetter(country.charAt(1)))) {
            return Parsed.rejected(Rejection.BAD_COUNTRY);
        }
        String direction = "IN".equalsIgnoreCase(s.direction() == null ? "" : s.direction().trim()) ? "IN" : "OUT";
        String other = s.otherParty() == null ? null : dialable(s.otherParty());
        if (other != null && (other.isEmpty() || other.length() > 32)) {
            other = other.isEmpty() ? null : other.substring(0, 32);
        }
        return new Parsed(new Record(s.networkId().trim(), type, direction, startedAt, other, seconds, kb, count, country), null);
    }

    /**
     * An ISO 8601 date-time with offset as {@link OffsetDateTime#parse} reads it. The form networks send,
     * {@code 2026-11-20T08:15:00[.fraction](Z|+08:00)}, is read here digit by digit (the general parser was the
     * largest per-record cost of checking a record); anything else, or any value out of range, goes to
     * {@link OffsetDateTime#parse}, so what is accepted and what is refused is exactly as before.
     */
    static Instant isoInstant(String text) {
        Instant fast = simpleIsoInstant(text);
        return fast != null ? fast : OffsetDateTime.parse(text).toInstant();
    }

    private static Instant simpleIsoInstant(String t) {
        int n = t.length();
        if (n < 20 || t.charAt(4) != '-' || t.charAt(7) != '-' || t.charAt(10) != 'T' || t.charAt(13) != ':' || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        if (year < 0 || month < 1 || month > 12 || day < 1 || day > java.time.Month.of(month).length(java.time.Year.isLeap(year))
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null;
        }
        int i = 19;
        int nanos = 0;
        if (t.charAt(i) == '.') {
            int start = ++i;
            while (i < n && t.charAt(i) >= '0' && t.charAt(i) <= '9') {
                i++;
            }
            int length = i - start;
            if (length < 1 || length > 9) {
                return null;
            }
            nanos = digits(t, start, length);
            for (int k = length; k < 9; k++) {
                nanos *= 10;
            }
        }
        int offset;
        if (i == n - 1 && t.charAt(i) == 'Z') {
            offset = 0;
        } else if (i == n - 6 && (t.charAt(i) == '+' || t.charAt(i) == '-') && t.charAt(i + 3) == ':') {
            int oh = digits(t, i + 1, 2);
            int om = digits(t, i + 4, 2);
            if (oh < 0 || om < 0 || oh > 17 || om > 59) {
                return null;
            }
            offset = (t.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        long epochDay = java.time.LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offset, nanos);
    }

    /** The decimal number of {@code length} ASCII digits at {@code from}, or -1 when one is not a digit. */
    private static int digits(String t, int from, int length) {
        int value = 0;
        for (int i = from; i < from + length; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isUpperLetter(char c) {
        return c >= 'A' && c <= 'Z';
    }

    /** The digits and + * # of a number as dialled, nothing else. */
    private static String dialable(String number) {
        StringBuilder out = null;
        for (int i = 0; i < number.length(); i++) {
            char c = number.charAt(i);
            boolean keep = c >= '0' && c <= '9' || c == '+' || c == '*' || c == '#';
            if (!keep && out == null) {
                out = new StringBuilder(number.length()).append(number, 0, i);
            } else if (keep && out != null) {
                out.append(c);
            }
        }
        return out == null ? number : out.toString();
    }

    record Record(String networkId, UsageType type, String direction, Instant startedAt, String otherParty,
                  int durationSeconds, long volumeKb, int count, String roamingCountry) {
    }

    record Parsed(Record record, Rejection rejection) {
        static Parsed rejected(Rejection reason) {
            return new Parsed(null, reason);
        }
    }

    private record Pending(int index, RatedLine line, Record record) {
    }

    /** What rating needs of a line: who pays and which number; none of it changes once the line exists. */
    record RatedLine(long id, long customerId, String msisdn) {
    }

    private record RatedRecord(long lineId, Record record, long chargeFen) {
    }

    record ZoneRate(int dataFenPerMb, int voiceFenPerMin, int smsFen) {
    }

    record Tariffs(Map<String, ZoneRate> zones, Map<String, String> countries, Set<String> freeNumbers) {
        String zoneOf(String country) {
            return countries.getOrDefault(country, "WORLD");
        }
    }

    /** A bucket as rating works on it: what is used so far, and what this batch added. */
    private static final class RatingBucket {
        final long id;
        final UsageType kind;
        final long initial;
        long used;
        long delta;
        final Instant validFrom;
        final Instant validTo;
        final String zone;
        final int rank;

        RatingBucket(BucketCache.State b) {
            this.id = b.id();
            this.kind = b.kind();
            this.initial = b.initial();
            this.used = b.used();
            this.validFrom = b.validFrom();
            this.validTo = b.validTo();
            this.zone = b.zone();
            this.rank = b.rank();
        }

        boolean validAt(Instant t) {
            return !validFrom.isAfter(t) && validTo.isAfter(t);
        }

        boolean inForce(Instant now) {
            return validAt(now);
        }

        /** Domestic buckets serve domestic usage; a roaming pack serves its zone, a WORLD pack every zone. */
        boolean covers(String usageZone) {
            if (usageZone == null) {
                return zone == null;
            }
            return zone != null && (zone.equals(usageZone) || "WORLD".equals(zone));
        }
    }

    private static final class LineCharges {
        final RatedLine line;
        final Map<ChargeKind, long[]> byKind = new java.util.EnumMap<>(ChargeKind.class);
        final Map<ChargeKind, String> firstNetworkId = new java.util.EnumMap<>(ChargeKind.class);

        LineCharges(RatedLine line) {
            this.line = line;
        }

        void add(Record r, long fen) {
            if (fen == 0) {
                return;
            }
            ChargeKind kind = ChargeKind.of(r);
            byKind.computeIfAbsent(kind, t -> new long[1])[0] += fen;
            firstNetworkId.merge(kind, r.networkId(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }

        long total() {
            return byKind.values().stream().mapToLong(v -> v[0]).sum();
        }
    }
}
