package org.telehall.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.MessageSource;
import org.telehall.ledger.Ledger;
import org.telehall.shared.Money;
import org.telehall.support.HallIntegrationTest;
import org.telehall.support.TestCustomers;
import org.telehall.support.TestLines;

/** Usage in by file drop: CDR files in the drop directory are rated once and moved on with a per-line report. */
class UsageFileDropTest extends HallIntegrationTest {

    @Autowired
    UsageFileDrop drop;

    @Autowired
    Rating rating;

    @Autowired
    MessageSource messages;

    @Autowired
    Clock appClock;

    @Autowired
    TestCustomers testCustomers;

    @Autowired
    TestLines testLines;

    @Autowired
    Ledger ledger;

    private static final String HEADER = "id,usageDate,usageType,msisdn,quantity,unit,roamingCountry,otherParty\n";

    private static String run() {
        return Long.toString(System.nanoTime(), 36);
    }

    private Path write(String name, String content) throws IOException {
        Path tmp = drop.dir().resolve(name + ".tmp");
        Files.createDirectories(drop.dir());
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        return Files.move(tmp, drop.dir().resolve(name));
    }

    private static List<CSVRecord> report(Path report) throws IOException {
        return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get()
                .parse(Files.newBufferedReader(report, StandardCharsets.UTF_8)).getRecords();
    }

    private UsageFileDrop.FileResult only(List<UsageFileDrop.FileResult> results, String name) {
        List<UsageFileDrop.FileResult> mine = results.stream().filter(r -> r.name().equals(name)).toList();
        assertThat(mine).as("results for " + name).hasSize(1);
        return mine.get(0);
    }

    /** A fresh subscriber on plan-5g-58 with {@code dataKb} of data and no minutes or messages. */
    private TestCustomers.TestSubscriber withDataAllowance(String name, long dataKb) {
        TestCustomers.TestSubscriber s = testCustomers.subscriber(name);
        testLines.plan(s, "plan-5g-58", dataKb, 0, 0, clock.instant());
        return s;
    }

    private long records(long lineId) {
        return jdbc.sql("select count(*) from usage_record where line_id = ?").param(lineId).query(Long.class).single();
    }

    @Test
    void a_good_file_is_rated_moved_to_done_and_reported_line_by_line() throws IOException {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("Drop");
        Instant now = clock.instant();
        testLines.plan(s, "plan-5g-58", 100_000, 300, 100, now);
        String r = run();
        String name = "cdr-good-" + r + ".csv";
        write(name, HEADER
                + "g1-" + r + "," + now.minusSeconds(300) + ",data," + s.msisdn() + ",2,MB,,\n"
                + "g2-" + r + "," + now.minusSeconds(200) + ",voice," + s.msisdn() + ",61,s,,13912345678\n"
                + "g3-" + r + "," + now.minusSeconds(100) + ",sms," + s.msisdn() + ",,,,13912345678\n");

        UsageFileDrop.FileResult result = only(drop.drain(), name);

        assertThat(result.status()).isEqualTo("DONE");
        assertThat(result.rated()).isEqualTo(3);
        assertThat(result.movedTo()).isEqualTo(drop.dir().resolve("done").resolve(name));
        assertThat(result.movedTo()).exists();
        assertThat(drop.dir().resolve(name)).doesNotExist();
        try (Stream<Path> processing = Files.list(drop.dir().resolve("processing"))) {
            assertThat(processing.filter(p -> p.toString().contains(r))).isEmpty();
        }
        List<CSVRecord> report = report(drop.dir().resolve("done").resolve(name + ".report.csv"));
        assertThat(report).hasSize(3);
        assertThat(report.get(0).get("line")).isEqualTo("2");
        assertThat(report.get(0).get("id")).isEqualTo("g1-" + r);
        assertThat(report).allSatisfy(line -> assertThat(line.get("status")).isEqualTo("rated"));
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(2048);
        assertThat(testLines.used(testLines.bucketOf(s, "VOICE", "PLAN"))).as("61 s is 2 minutes").isEqualTo(2);
        assertThat(testLines.used(testLines.bucketOf(s, "SMS", "PLAN"))).isEqualTo(1);
        assertThat(jdbc.sql("select status || ':' || rated || ':' || records from usage_file where id = ?").param(result.fileId())
                .query(String.class).single()).isEqualTo("DONE:3:3");
    }

    @Test
    void a_file_of_more_chunks_than_are_kept_from_checking_it_is_read_again_and_rated_whole() throws IOException {
        TestCustomers.TestSubscriber s = testCustomers.subscriber("Long file");
        Instant now = clock.instant();
        testLines.plan(s, "plan-5g-58", 100_000, 300, 100, now);
        String r = run();
        String name = "cdr-long-" + r + ".csv";
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 1; i <= 7; i++) {
            String type = i == 4 ? "fax" : "data";
            csv.append("long").append(i).append('-').append(r).append(',').append(now.minusSeconds(100 - i)).append(',').append(type)
                    .append(',').append(s.msisdn()).append(",1,MB,,\n");
        }
        write(name, csv.toString());
        // chunks of 2: 4 chunks, more than the UsageFileDrop.KEEP_PARSED_CHUNKS kept while checking the file
        UsageFileDrop small = new UsageFileDrop(rating, jdbc, messages, appClock, drop.dir(), Duration.ZERO, Duration.ofMinutes(10),
                1, 2, Locale.ENGLISH, "node-small-chunks", "-");
        assertThat(7 / 2 + 1).isGreaterThan(UsageFileDrop.KEEP_PARSED_CHUNKS);

        UsageFileDrop.FileResult result = only(small.drain(), name);

        assertThat(result.status()).isEqualTo("DONE");
        assertThat(result.rated()).isEqualTo(6);
        assertThat(result.rejected()).isEqualTo(1);
        List<CSVRecord> report = report(drop.dir().resolve("done").resolve(name + ".report.csv"));
        assertThat(report).extracting(line -> line.get("line")).containsExactly("2", "3", "4", "5", "6", "7", "8");
        assertThat(report).extracting(line -> line.get("status"))
                .containsExactly("rated", "rated", "rated", "rejected", "rated", "rated", "rated");
        assertThat(records(s.lineId())).isEqualTo(6);
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(6 * 1024);
    }

    @Test
    void the_scheduled_tick_rates_files_on_its_own_workers() throws Exception {
        TestCustomers.TestSubscriber s = withDataAllowance("DropTick", 100_000);
        Instant now = clock.instant();
        String r = run();
        List<String> names = new ArrayList<>();
        for (int f = 0; f < 3; f++) {
            names.add("cdr-tick-" + r + "-" + f + ".csv");
            write(names.get(f), HEADER + "k" + f + "-" + r + "," + now.minusSeconds(30) + ",data," + s.msisdn() + ",100,KB,,\n");
        }

        drop.tick();

        long deadline = System.currentTimeMillis() + 20_000;
        while (names.stream().anyMatch(n -> !Files.exists(drop.dir().resolve("done").resolve(n))) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        for (String name : names) {
            assertThat(drop.dir().resolve("done").resolve(name)).exists();
        }
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(300);
    }

    @Test
    void bad_lines_are_rejected_with_their_reason_and_the_rest_of_the_file_is_rated() throws IOException {
        TestCustomers.TestSubscriber s = withDataAllowance("DropBad", 1024);
        Instant now = clock.instant();
        testLines.topUp(s, Money.ofYuan(1), "test:drop-bad:" + s.customerId());
        String r = run();
        String name = "cdr-bad-" + r + ".csv";
        // no header: the columns in their defined order
        write(name, String.join("\n",
                "b1-" + r + "," + now.minusSeconds(60) + ",data," + s.msisdn() + ",3072,KB,,",
                "b2-" + r + "," + now.minusSeconds(60) + ",data,17999999999,10,KB,,",
                "b3-" + r + "," + now.minusSeconds(60) + ",data," + s.msisdn() + ",-5,KB,,",
                "b4-" + r + ",yesterday at noon,data," + s.msisdn() + ",5,KB,,",
                "b5-" + r + "," + now.plus(Duration.ofDays(1)) + ",data," + s.msisdn() + ",5,KB,,",
                "b6-" + r + "," + now.minusSeconds(60) + ",data," + s.msisdn() + ",lots,KB,,",
                "b7-" + r + "," + now.minusSeconds(60) + ",data",
                "b8-" + r + "," + now.minusSeconds(60) + ",fax," + s.msisdn() + ",1,,,",
                "") + "\n");

        UsageFileDrop.FileResult result = only(drop.drain(), name);

        assertThat(result.status()).isEqualTo("DONE");
        assertThat(result.rated()).isEqualTo(1);
        assertThat(result.rejected()).isEqualTo(7);
        List<CSVRecord> report = report(result.report());
        assertThat(report.stream().map(l -> l.get("reason")).toList()).containsExactly("", "unknown-line", "negative-quantity",
                "bad-time", "future-time", "bad-quantity", "bad-format", "bad-type");
        assertThat(report.get(1).get("reason_text")).isEqualTo(messages.getMessage("usage.rejection.unknown-line", null, Locale.SIMPLIFIED_CHINESE));
        assertThat(report.get(3).get("line")).isEqualTo("4");
        // 1 MB allowance, 2 MB past it at ¥0.01/MB
        assertThat(report.get(0).get("charge")).isEqualTo("0.02");
        assertThat(ledger.balanceOf(s.customerId())).isEqualTo(Money.ofFen(98));
        assertThat(records(s.lineId())).isEqualTo(1);
    }

    @Test
    void the_same_file_dropped_again_under_any_name_is_not_rated_twice() throws IOException {
        TestCustomers.TestSubscriber s = withDataAllowance("DropTwice", 100_000);
        Instant now = clock.instant();
        String r = run();
        String content = HEADER + "t1-" + r + "," + now.minusSeconds(30) + ",data," + s.msisdn() + ",1000,KB,,\n"
                + "t2-" + r + "," + now.minusSeconds(20) + ",data," + s.msisdn() + ",1000,KB,,\n";
        String name = "cdr-twice-" + r + ".csv";
        write(name, content);
        UsageFileDrop.FileResult first = only(drop.drain(), name);

        write(name, content);
        write("copy-" + name, content);
        List<UsageFileDrop.FileResult> again = drop.drain();
        UsageFileDrop.FileResult sameName = only(again, name);
        UsageFileDrop.FileResult otherName = only(again, "copy-" + name);

        assertThat(first.rated()).isEqualTo(2);
        assertThat(sameName.status()).isEqualTo("DUPLICATE");
        assertThat(otherName.status()).isEqualTo("DUPLICATE");
        assertThat(sameName.movedTo()).as("done/ keeps the first one under its name").isNotEqualTo(first.movedTo()).exists();
        assertThat(first.movedTo()).exists();
        assertThat(report(otherName.report()).get(0).get("reason")).isEqualTo("duplicate-file");
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(2000);
        assertThat(jdbc.sql("select count(*) from usage_file where duplicate_of = ?").param(first.fileId()).query(Long.class).single())
                .isEqualTo(2);

        // a different file repeating one of those records: the repeated record is a duplicate, the new one is rated
        String overlap = "cdr-overlap-" + r + ".csv";
        write(overlap, HEADER + "t2-" + r + "," + now.minusSeconds(20) + ",data," + s.msisdn() + ",1000,KB,,\n"
                + "t3-" + r + "," + now.minusSeconds(10) + ",data," + s.msisdn() + ",500,KB,,\n");
        UsageFileDrop.FileResult third = only(drop.drain(), overlap);
        assertThat(third.duplicates()).isEqualTo(1);
        assertThat(third.rated()).isEqualTo(1);
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(2500);
        assertThat(records(s.lineId())).isEqualTo(3);
    }

    @Test
    void a_file_still_being_written_is_left_alone_until_it_is_complete() throws IOException {
        TestCustomers.TestSubscriber s = withDataAllowance("DropTmp", 100_000);
        Instant now = clock.instant();
        String r = run();
        Path tmp = drop.dir().resolve("cdr-tmp-" + r + ".csv.tmp");
        Files.createDirectories(drop.dir());
        Files.writeString(tmp, HEADER + "w1-" + r + "," + now.minusSeconds(30) + ",data," + s.msisdn() + ",700,KB,,\n" + "w2-" + r + ",");

        assertThat(drop.drain()).noneMatch(f -> f.name().contains(r));
        assertThat(tmp).exists();
        assertThat(records(s.lineId())).isZero();

        // a node that waits for files to settle leaves a .csv alone while it is still changing
        UsageFileDrop patient = new UsageFileDrop(rating, jdbc, messages, appClock, drop.dir(), Duration.ofMinutes(1),
                Duration.ofMinutes(10), 1, 100, Locale.ENGLISH, "patient", "-");
        Path csv = drop.dir().resolve("cdr-tmp-" + r + ".csv");
        Files.writeString(tmp, now.minusSeconds(20) + ",data," + s.msisdn() + ",300,KB,,\n", java.nio.file.StandardOpenOption.APPEND);
        Files.move(tmp, csv);
        assertThat(patient.drain()).isEmpty();
        assertThat(csv).exists();

        Files.setLastModifiedTime(csv, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));   // the file system's own clock
        UsageFileDrop.FileResult result = only(patient.drain(), csv.getFileName().toString());
        assertThat(result.rated()).isEqualTo(2);
        assertThat(report(result.report()).get(0).get("status")).isEqualTo("rated");
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(1000);
    }

    @Test
    void a_file_whose_every_line_fails_or_that_is_not_csv_goes_to_rejected_and_nothing_of_it_is_rated() throws IOException {
        TestCustomers.TestSubscriber s = withDataAllowance("DropRejected", 100_000);
        Instant now = clock.instant();
        String r = run();
        String allBad = "cdr-allbad-" + r + ".csv";
        write(allBad, HEADER + "x1-" + r + "," + now.minusSeconds(30) + ",data,17999999999,1,KB,,\n"
                + "x2-" + r + ",not a time,data," + s.msisdn() + ",1,KB,,\n");
        // good lines first, then a quote that never closes: the file is not read at all
        String broken = "cdr-broken-" + r + ".csv";
        write(broken, HEADER + "y1-" + r + "," + now.minusSeconds(30) + ",data," + s.msisdn() + ",1,KB,,\n"
                + "y2-" + r + "," + now.minusSeconds(20) + ",data," + s.msisdn() + ",1,KB,,\"unterminated\n");
        String notUtf8 = "cdr-latin1-" + r + ".csv";
        Files.write(drop.dir().resolve(notUtf8 + ".tmp"), ("z1-" + r + "," + now.minusSeconds(30) + ",data," + s.msisdn() + ",1,KB,,caf\u00e9\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        Files.move(drop.dir().resolve(notUtf8 + ".tmp"), drop.dir().resolve(notUtf8));
        String empty = "cdr-empty-" + r + ".csv";
        write(empty, HEADER);

        List<UsageFileDrop.FileResult> results = drop.drain();

        UsageFileDrop.FileResult bad = only(results, allBad);
        assertThat(bad.status()).isEqualTo("REJECTED");
        assertThat(bad.movedTo()).isEqualTo(drop.dir().resolve("rejected").resolve(allBad)).exists();
        assertThat(report(bad.report()).stream().map(l -> l.get("reason")).toList()).containsExactly("unknown-line", "bad-time");
        for (String name : List.of(broken, notUtf8, empty)) {
            UsageFileDrop.FileResult result = only(results, name);
            assertThat(result.status()).as(name).isEqualTo("REJECTED");
            assertThat(result.movedTo()).as(name).isEqualTo(drop.dir().resolve("rejected").resolve(name)).exists();
        }
        assertThat(report(only(results, broken).report()).get(0).get("reason")).isEqualTo("unparseable-file");
        assertThat(report(only(results, notUtf8).report()).get(0).get("reason")).isEqualTo("unparseable-file");
        assertThat(report(only(results, empty).report()).get(0).get("reason")).isEqualTo("empty-file");
        assertThat(records(s.lineId())).as("nothing of a broken file is rated").isZero();
    }

    @Test
    void two_nodes_polling_one_directory_take_each_file_once_and_rate_each_record_once() throws Exception {
        TestCustomers.TestSubscriber s = withDataAllowance("DropRace", 10_000_000);
        Instant now = clock.instant();
        String r = run();
        List<String> names = new ArrayList<>();
        for (int f = 0; f < 12; f++) {
            StringBuilder csv = new StringBuilder(HEADER);
            for (int i = 0; i < 50; i++) {
                // each file repeats half of the previous file's records
                int n = f * 25 + i;
                csv.append("race-").append(r).append('-').append(n).append(',').append(now.minusSeconds(n + 1)).append(",data,")
                        .append(s.msisdn()).append(",10,KB,,\n");
            }
            names.add("cdr-race-" + r + "-" + f + ".csv");
            write(names.get(f), csv.toString());
        }
        UsageFileDrop nodeB = new UsageFileDrop(rating, jdbc, messages, appClock, drop.dir(), Duration.ZERO, Duration.ofMinutes(10),
                1, 20, Locale.ENGLISH, "node-b", "-");
        List<Callable<List<UsageFileDrop.FileResult>>> pollers = List.of(drop::drain, nodeB::drain, drop::drain, nodeB::drain);
        List<UsageFileDrop.FileResult> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(pollers.size());
        try {
            for (Future<List<UsageFileDrop.FileResult>> f : pool.invokeAll(pollers)) {
                results.addAll(f.get());
            }
        } finally {
            pool.shutdown();
        }

        List<UsageFileDrop.FileResult> mine = results.stream().filter(f -> f.name().contains(r)).toList();
        assertThat(mine.stream().map(UsageFileDrop.FileResult::name).sorted().toList()).as("each file taken exactly once")
                .isEqualTo(names.stream().sorted().toList());
        int distinct = 11 * 25 + 50;
        assertThat(mine.stream().mapToInt(UsageFileDrop.FileResult::rated).sum()).isEqualTo(distinct);
        assertThat(mine.stream().mapToInt(UsageFileDrop.FileResult::duplicates).sum()).isEqualTo(12 * 50 - distinct);
        assertThat(records(s.lineId())).isEqualTo(distinct);
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(distinct * 10L);
        for (String name : names) {
            assertThat(drop.dir().resolve("done").resolve(name)).exists();
        }
    }

    @Test
    void a_file_left_in_processing_by_a_stopped_node_is_taken_again_and_what_it_rated_is_not_rated_twice() throws IOException {
        TestCustomers.TestSubscriber s = withDataAllowance("DropStale", 100_000);
        Instant now = clock.instant();
        String r = run();
        // the stopped node had rated the first record before it went away
        rating.rate(List.of(new UsageSubmission("st1-" + r, s.msisdn(), "data", null, now.minusSeconds(30).toString(), null,
                java.math.BigDecimal.valueOf(100), "KB", null)));
        long claimedAt = System.currentTimeMillis() - Duration.ofMinutes(11).toMillis();   // claims are stamped by the wall clock
        String name = "cdr-stale-" + r + ".csv";
        Path left = drop.dir().resolve("processing").resolve(claimedAt + "-gone-abc--" + name);
        Files.createDirectories(left.getParent());
        Files.writeString(left, HEADER + "st1-" + r + "," + now.minusSeconds(30) + ",data," + s.msisdn() + ",100,KB,,\n"
                + "st2-" + r + "," + now.minusSeconds(20) + ",data," + s.msisdn() + ",200,KB,,\n");
        Path fresh = drop.dir().resolve("processing").resolve(System.currentTimeMillis() + "-busy-abc--other-" + name);
        Files.writeString(fresh, HEADER);

        UsageFileDrop.FileResult result = only(drop.drain(), name);

        assertThat(result.rated()).isEqualTo(1);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(left).doesNotExist();
        assertThat(fresh).as("a file another node is working on now stays with it").exists();
        assertThat(testLines.used(testLines.bucketOf(s, "DATA", "PLAN"))).isEqualTo(300);
        Files.delete(fresh);
    }
}
