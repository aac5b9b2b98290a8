package org.telehall.usage;

import jakarta.annotation.PreDestroy;
import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.MessageSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;

/**
 * Usage in by file drop, the way mediation systems deliver call detail records: CSV files (see
 * {@link CdrCsv}) appearing in {@code telehall.usage.drop-dir} are rated through the same
 * {@link Rating} as the API and moved to {@code done/} or, when no line could be rated or the file
 * cannot be read, to {@code rejected/}, each with {@code <file>.report.csv} giving every line's outcome.
 *
 * <p>Half-written files are never read: only names ending in {@code .csv} are taken (mediation writes
 * {@code name.csv.tmp} and renames it when complete), and only once their last change is
 * {@code drop-settle} old. A file is claimed by an atomic rename into {@code processing/}, so of two
 * nodes polling one directory exactly one gets it; its content's sha256 is recorded in
 * {@code usage_file}, so the same file dropped again is not rated twice (and every record is
 * deduplicated by its network id besides). A file a node left in {@code processing/} (it stopped
 * mid-way) is taken again after {@code drop-stale}; what it had rated already comes back as duplicates.
 */
@Service
class UsageFileDrop {

    private static final Logger log = LoggerFactory.getLogger(UsageFileDrop.class);
    static final String REPORT_SUFFIX = ".report.csv";
    private static final String CLAIM_SEPARATOR = "--";
    private static final CSVFormat REPORT = CSVFormat.DEFAULT.builder()
            .setHeader("line", "id", "status", "reason", "reason_text", "charge").setRecordSeparator('\n').get();

    /** What happened to one file. */
    record FileResult(long fileId, String name, String status, long records, int rated, int duplicates, int rejected,
                      Path movedTo, Path report) {
    }

    private final Rating rating;
    private final JdbcClient jdbc;
    private final MessageSource messages;
    private final Clock clock;
    /**
     * File modification times and claim times are the file system's wall clock, shared by every node
     * polling the directory; the hall's {@link Clock} (which tests move ahead) stamps the database rows.
     */
    private final Clock files = Clock.systemUTC();
    private final Path dir;
    private final Duration settle;
    private final Duration stale;
    private final Locale reportLocale;
    private final String node;
    private final int chunk;
    private final int workerCount;
    private final Semaphore workers;
    private final ExecutorService executor;
    private final java.util.concurrent.atomic.AtomicBoolean wake = new java.util.concurrent.atomic.AtomicBoolean();
    private final boolean pollEnabled;
    private volatile boolean stopping;

    UsageFileDrop(Rating rating, JdbcClient jdbc, MessageSource messages, Clock clock,
                  @Value("${telehall.usage.drop-dir:${TELEHALL_DATA_DIR:data}/usage-drop}") Path dir,
                  @Value("${telehall.usage.drop-settle:1s}") Duration settle,
                  @Value("${telehall.usage.drop-stale:10m}") Duration stale,
                  @Value("${telehall.usage.drop-workers:2}") int workers,
                  @Value("${telehall.usage.drop-chunk:" + Rating.MAX_BATCH + "}") int chunk,
                  @Value("${telehall.usage.drop-report-locale:zh-CN}") Locale reportLocale,
                  @Value("${telehall.usage.node:}") String node,
                  @Value("${telehall.usage.drop-cron:* * * * * *}") String cron) {
        this.rating = rating;
        this.jdbc = jdbc;
        this.messages = messages;
        this.clock = clock;
        this.dir = dir.toAbsolutePath().normalize();
        this.settle = settle;
        this.stale = stale;
        this.reportLocale = reportLocale;
        this.node = node == null || node.isBlank() ? defaultNode() : node;
        this.chunk = Math.max(1, Math.min(chunk, Rating.MAX_BATCH));
        this.workerCount = Math.max(1, workers);
        this.pollEnabled = !"-".equals(cron);
        this.workers = new Semaphore(workerCount);
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(workerCount, r -> {
            Thread t = new Thread(r, "usage-drop-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static String defaultNode() {
        String host = System.getenv("HOSTNAME");
        return (host == null || host.isBlank() ? "node" : host) + "-" + ProcessHandle.current().pid();
    }

    Path dir() {
        return dir;
    }

    /**
     * Every {@code drop-cron} tick, and at once when the directory watcher sees a file arrive: as
     * many drains as there are free workers, each taking files until none is left.
     */
    @Scheduled(cron = "${telehall.usage.drop-cron:* * * * * *}")
    void tick() {
        wake.set(true);
        while (!stopping && workers.tryAcquire()) {
            executor.execute(() -> {
                try {
                    while (!stopping && wake.getAndSet(false)) {
                        drain();
                    }
                } catch (RuntimeException e) {
                    log.error("usage file drop in {} failed", dir, e);
                } finally {
                    workers.release();
                }
                if (wake.get() && !stopping) {
                    tick();   // a file arrived while this worker was on its way out
                }
            });
        }
    }

    /**
     * Watches the drop directory so a file is taken the moment it is renamed into place rather than
     * at the next tick; started with the scheduled poll (so not in tests, which drain themselves).
     */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void watch() {
        if (!pollEnabled) {
            return;
        }
        ensureDirs();
        Thread watcher = new Thread(() -> {
            try (java.nio.file.WatchService service = dir.getFileSystem().newWatchService()) {
                dir.register(service, java.nio.file.StandardWatchEventKinds.ENTRY_CREATE, java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY);
                while (!stopping) {
                    java.nio.file.WatchKey key = service.poll(1, TimeUnit.SECONDS);
                    if (key == null) {
                        continue;
                    }
                    boolean csv = false;
                    for (java.nio.file.WatchEvent<?> event : key.pollEvents()) {
                        csv |= event.context() == null || event.context().toString().toLowerCase(Locale.ROOT).endsWith(".csv");
                    }
                    key.reset();
                    if (csv) {
                        tick();
                    }
                }
            } catch (IOException e) {
                log.warn("cannot watch {}; files are taken at each tick only: {}", dir, e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "usage-drop-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        stopping = true;
        executor.shutdown();
        if (!executor.awaitTermination(20, TimeUnit.SECONDS)) {
            executor.shutdownNow();
        }
    }

    /** Claims and rates ready files one after another until none is left; what became of each. */
    List<FileResult> drain() {
        ensureDirs();
        List<FileResult> results = new ArrayList<>();
        while (!stopping) {
            Optional<Claim> claim = claimNext();
            if (claim.isEmpty()) {
                break;
            }
            FileResult result = process(claim.get());
            if (result != null) {
                results.add(result);
            }
        }
        return results;
    }

    private void ensureDirs() {
        try {
            for (String sub : List.of("processing", "done", "rejected")) {
                Files.createDirectories(dir.resolve(sub));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the usage drop directories under " + dir, e);
        }
    }

    /** A file this node renamed into processing/: its original name, where it is now, and where it was before (when taken over). */
    record Claim(String name, Path path, Path previous) {
    }

    /** The oldest ready file, claimed by renaming it; a file another node renamed first is skipped. */
    private Optional<Claim> claimNext() {
        for (Path candidate : readyFiles()) {
            Optional<Claim> claim = claim(candidate, candidate.getFileName().toString(), null);
            if (claim.isPresent()) {
                return claim;
            }
        }
        for (Path abandoned : abandonedFiles()) {
            String file = abandoned.getFileName().toString();
            String name = file.substring(file.indexOf(CLAIM_SEPARATOR) + CLAIM_SEPARATOR.length());
            Optional<Claim> claim = claim(abandoned, name, abandoned);
            if (claim.isPresent()) {
                deleteQuietly(abandoned.resolveSibling(file + REPORT_SUFFIX + ".tmp"));
                log.warn("usage file {} was left in processing by a node that stopped; rating it again", abandoned);
                return claim;
            }
        }
        return Optional.empty();
    }

    private Optional<Claim> claim(Path from, String name, Path previous) {
        String token = files.millis() + "-" + node.replaceAll("[^A-Za-z0-9_.]", "_") + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 24, 1 << 28));
        Path to = dir.resolve("processing").resolve(token + CLAIM_SEPARATOR + name);
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(new Claim(name, to, previous));
        } catch (NoSuchFileException e) {
            return Optional.empty();   // another node (or worker) took it first
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("the usage drop directory " + dir + " must allow atomic renames into processing/", e);
        } catch (IOException e) {
            log.warn("cannot claim usage file {}: {}", from, e.toString());
            return Optional.empty();
        }
    }

    /** Complete files by convention: {@code *.csv} (not {@code .tmp}, not hidden), unchanged for {@code drop-settle}; oldest first. */
    private List<Path> readyFiles() {
        long settledBefore = files.millis() - settle.toMillis();
        List<Ready> ready = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.{csv,CSV}")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                try {
                    BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                    if (a.isRegularFile() && a.lastModifiedTime().toMillis() <= settledBefore) {
                        ready.add(new Ready(f, a.lastModifiedTime().toMillis()));
                    }
                } catch (NoSuchFileException gone) {
                    // claimed by another node meanwhile
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the usage drop directory " + dir, e);
        }
        ready.sort(Comparator.comparingLong(Ready::modified).thenComparing(r -> r.path().getFileName().toString()));
        return ready.stream().map(Ready::path).toList();
    }

    private record Ready(Path path, long modified) {
    }

    /** Files in processing/ claimed longer than {@code drop-stale} ago: their node stopped before finishing. */
    private List<Path> abandonedFiles() {
        long staleBefore = files.millis() - stale.toMillis();
        List<Path> abandoned = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.resolve("processing"))) {
            for (Path f : files) {
                String file = f.getFileName().toString();
                int sep = file.indexOf(CLAIM_SEPARATOR);
                int dash = file.indexOf('-');
                if (sep < 0 || dash < 0 || file.endsWith(".tmp")) {
                    continue;
                }
                try {
                    if (Long.parseLong(file.substring(0, dash)) < staleBefore) {
                        abandoned.add(f);
                    }
                } catch (NumberFormatException e) {
                    // not one of ours
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir.resolve("processing"), e);
        }
        abandoned.sort(Comparator.naturalOrder());
        return abandoned;
    }

    /** Rates one claimed file and moves it on; null when it was given back because the hall is stopping. */
    FileResult process(Claim claim) {
        Instant started = clock.instant();
        List<List<CdrCsv.Line>> parsed = new ArrayList<>();
        boolean[] tooLarge = {false};
        String sha256;
        long size;
        long records;
        CdrCsv.Unparseable unparseable = null;
        try {
            size = Files.size(claim.path());
            MessageDigest digest = sha256();
            long[] counted = {0};
            try (InputStream in = new DigestInputStream(new BufferedInputStream(Files.newInputStream(claim.path()), 1 << 16), digest)) {
                try {
                    CdrCsv.read(in, chunk, lines -> {
                        counted[0] += lines.size();
                        if (parsed.size() < KEEP_PARSED_CHUNKS) {
                            parsed.add(lines);
                        } else {
                            tooLarge[0] = true;
                        }
                    });
                } catch (CdrCsv.Unparseable e) {
                    unparseable = e;
                    in.transferTo(java.io.OutputStream.nullOutputStream());   // the rest still goes into the digest
                }
            }
            records = counted[0];
            sha256 = HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the usage file " + claim.path(), e);
        }

        if (unparseable != null || records == 0) {
            String reason = unparseable != null ? "unparseable-file" : "empty-file";
            String text = unparseable != null
                    ? messages.getMessage("usage.file.unparseable-file", new Object[] {unparseable.line, unparseable.getMessage()}, reportLocale)
                    : messages.getMessage("usage.file.empty-file", null, reportLocale);
            long id = jdbc.sql("""
                    insert into usage_file (name, sha256, size_bytes, status, node, claimed_path, claimed_at, finished_at, problem)
                    values (?, ?, ?, 'REJECTED', ?, ?, ?, ?, ?) returning id
                    """).params(claim.name(), sha256, size, node, claim.path().toString(), Timestamp.from(started),
                            Timestamp.from(clock.instant()), reason).query(Long.class).single();
            return fileLevel(claim, id, "REJECTED", "rejected", reason, text);
        }

        Optional<Long> registered = register(claim, sha256, size, started);
        if (registered.isEmpty()) {
            return duplicate(claim, sha256, size, started);
        }
        long fileId = registered.get();
        return rate(claim, fileId, records, started, tooLarge[0] ? null : parsed);
    }

    /**
     * A file of at most this many chunks is rated from the lines read while checking it (its hash and that it parses
     * were needed before rating any of it); a larger one is read a second time rather than held in memory.
     */
    static final int KEEP_PARSED_CHUNKS = 2;

    /** The file's row in PROCESSING; empty when the same content was rated (or is being rated) under another claim. */
    private Optional<Long> register(Claim claim, String sha256, long size, Instant claimedAt) {
        Optional<Long> id = jdbc.sql("""
                insert into usage_file (name, sha256, size_bytes, status, node, claimed_path, claimed_at)
                values (?, ?, ?, 'PROCESSING', ?, ?, ?)
                on conflict (sha256) where duplicate_of is null and status <> 'REJECTED' do nothing returning id
                """).params(claim.name(), sha256, size, node, claim.path().toString(), Timestamp.from(claimedAt))
                .query(Long.class).optional();
        if (id.isPresent() || claim.previous() == null) {
            return id;
        }
        // taking over a file its node left: its own row, if it had written one, is ours now
        return jdbc.sql("""
                update usage_file set node = ?, claimed_path = ?, claimed_at = ?, status = 'PROCESSING', finished_at = null
                 where sha256 = ? and duplicate_of is null and claimed_path = ? returning id
                """).params(node, claim.path().toString(), Timestamp.from(claimedAt), sha256, claim.previous().toString())
                .query(Long.class).optional();
    }

    private FileResult duplicate(Claim claim, String sha256, long size, Instant started) {
        record Original(long id, String name, Instant at) {
        }
        Original original = jdbc.sql("""
                select id, name, claimed_at from usage_file where sha256 = ? and duplicate_of is null and status <> 'REJECTED'
                """).param(sha256).query((rs, n) -> new Original(rs.getLong(1), rs.getString(2), rs.getTimestamp(3).toInstant()))
                .single();
        long id = jdbc.sql("""
                insert into usage_file (name, sha256, size_bytes, status, duplicate_of, node, claimed_path, claimed_at, finished_at, problem)
                values (?, ?, ?, 'DUPLICATE', ?, ?, ?, ?, ?, 'duplicate-file') returning id
                """).params(claim.name(), sha256, size, original.id(), node, claim.path().toString(), Timestamp.from(started),
                        Timestamp.from(clock.instant())).query(Long.class).single();
        String text = messages.getMessage("usage.file.duplicate-file", new Object[] {original.name(), original.at().toString()}, reportLocale);
        log.info("usage file {} has the same content as file {} ({}); not rated again", claim.name(), original.id(), original.name());
        return fileLevel(claim, id, "DUPLICATE", "duplicate", "duplicate-file", text);
    }

    /** A file judged as a whole (duplicate, unparseable, empty): a one-line report, then done/ or rejected/. */
    private FileResult fileLevel(Claim claim, long fileId, String status, String lineStatus, String reason, String text) {
        Path report = reportPath(claim);
        try (CSVPrinter out = new CSVPrinter(Files.newBufferedWriter(report, StandardCharsets.UTF_8), REPORT)) {
            out.printRecord("", "", lineStatus, reason, text, "");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + report, e);
        }
        boolean rejected = "REJECTED".equals(status);
        Moved moved = moveOn(claim, report, fileId, rejected ? "rejected" : "done");
        return new FileResult(fileId, claim.name(), status, 0, 0, 0, 0, moved.file(), moved.report());
    }

    /** Rates the file's lines: {@code parsed} when they were kept from checking it, else read again. */
    private FileResult rate(Claim claim, long fileId, long records, Instant started, List<List<CdrCsv.Line>> parsed) {
        Path report = reportPath(claim);
        int[] counts = new int[3];   // rated, duplicates, rejected
        boolean gaveBack = false;
        try (BufferedWriter writer = Files.newBufferedWriter(report, StandardCharsets.UTF_8);
             CSVPrinter out = new CSVPrinter(writer, REPORT)) {
            java.util.function.Consumer<List<CdrCsv.Line>> rateOrGiveBack = lines -> {
                if (stopping) {
                    throw new GiveBack();
                }
                rateChunk(lines, out, counts);
            };
            try {
                if (parsed != null) {
                    parsed.forEach(rateOrGiveBack);
                } else {
                    try (InputStream in = new BufferedInputStream(Files.newInputStream(claim.path()), 1 << 16)) {
                        CdrCsv.read(in, chunk, rateOrGiveBack);
                    }
                }
            } catch (GiveBack e) {
                gaveBack = true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rate the usage file " + claim.path(), e);
        } catch (CdrCsv.Unparseable e) {
            // it parsed a moment ago: the file changed under us, which the claim's rename rules out
            throw new IllegalStateException("usage file " + claim.path() + " changed while being rated", e);
        }
        if (gaveBack) {
            giveBack(claim, fileId, report);
            return null;
        }
        boolean rejected = counts[0] + counts[1] == 0;
        String status = rejected ? "REJECTED" : "DONE";
        jdbc.sql("""
                update usage_file set status = ?, finished_at = ?, records = ?, rated = ?, duplicates = ?, rejected = ? where id = ?
                """).params(status, Timestamp.from(clock.instant()), records, counts[0], counts[1], counts[2], fileId).update();
        Moved moved = moveOn(claim, report, fileId, rejected ? "rejected" : "done");
        log.info("usage file {}: {} records, {} rated, {} duplicates, {} rejected in {} ms -> {}", claim.name(), records, counts[0],
                counts[1], counts[2], Duration.between(started, clock.instant()).toMillis(), moved.file());
        return new FileResult(fileId, claim.name(), status, records, counts[0], counts[1], counts[2], moved.file(), moved.report());
    }

    private static final class GiveBack extends RuntimeException {
        GiveBack() {
            super(null, null, false, false);
        }
    }

    private void rateChunk(List<CdrCsv.Line> lines, CSVPrinter out, int[] counts) {
        List<UsageSubmission> submissions = new ArrayList<>(lines.size());
        for (CdrCsv.Line line : lines) {
            if (line.rejection() == null) {
                submissions.add(line.submission());
            }
        }
        List<RatingOutcome> outcomes = submissions.isEmpty() ? List.of() : rating.rate(submissions);
        int next = 0;
        try {
            for (CdrCsv.Line line : lines) {
                RatingOutcome o = line.rejection() == null ? outcomes.get(next++) : RatingOutcome.rejected(line.networkId(), line.rejection());
                switch (o.status()) {
                    case RATED -> counts[0]++;
                    case DUPLICATE -> counts[1]++;
                    case REJECTED -> counts[2]++;
                }
                out.printRecord(line.number(), o.networkId() == null ? "" : o.networkId(), o.status().name().toLowerCase(Locale.ROOT),
                        o.reason() == null ? "" : o.reason(),
                        o.reason() == null ? "" : messages.getMessage("usage.rejection." + o.reason(), null, o.reason(), reportLocale),
                        o.charge() == null ? "" : o.charge().yuan().toPlainString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The hall is stopping mid-file: the file goes back into the drop directory for any node to take; what was rated stays (duplicates next time). */
    private void giveBack(Claim claim, long fileId, Path report) {
        try {
            Files.deleteIfExists(report);
            jdbc.sql("delete from usage_file where id = ?").param(fileId).update();
            Files.move(claim.path(), dir.resolve(claim.name()), StandardCopyOption.ATOMIC_MOVE);
            log.info("stopping: usage file {} given back to {}", claim.name(), dir);
        } catch (IOException e) {
            log.warn("stopping: usage file {} stays in processing ({}); it is taken again after {}", claim.path(), e.toString(), stale);
        }
    }

    private Path reportPath(Claim claim) {
        return claim.path().resolveSibling(claim.path().getFileName() + REPORT_SUFFIX + ".tmp");
    }

    private record Moved(Path file, Path report) {
    }

    /** Report first, then the file, under the original name (or name.ID.csv when done/ has that name already). */
    private Moved moveOn(Claim claim, Path report, long fileId, String to) {
        Path target = dir.resolve(to);
        String name = claim.name();
        Path file = target.resolve(name);
        Path finalReport = target.resolve(name + REPORT_SUFFIX);
        if (Files.exists(file) || Files.exists(finalReport)) {
            int dot = name.lastIndexOf('.');
            String unique = dot > 0 ? name.substring(0, dot) + "." + fileId + name.substring(dot) : name + "." + fileId;
            file = target.resolve(unique);
            finalReport = target.resolve(unique + REPORT_SUFFIX);
        }
        try {
            Files.move(report, finalReport, StandardCopyOption.ATOMIC_MOVE);
            Files.move(claim.path(), file, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            log.warn("usage file {} was taken over by another node before it could be moved on", claim.path());
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the usage file " + claim.path() + " to " + file, e);
        }
        return new Moved(file, finalReport);
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", file, e.toString());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
