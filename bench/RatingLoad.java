import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load driver of bench/rating.sh (run as a single-file program: java bench/RatingLoad.java MODE ...).
 *
 * api:  CLIENTS threads each post batches of BATCH TMF635 usage records to /api/v1/usage-batches
 *       until RECORDS are sent; a batch's latency is from sending it to its answer, which comes
 *       after the rating transaction committed, so it is every record's arrival-to-visible time.
 * file: writes CSV files of BATCH records as name.csv.tmp and renames them into the drop dir, either
 *       all at once (RATE=0, a backlog) or paced at RATE records/s; prints each file's rename time
 *       (epoch ms) so the script can set it against usage_file.finished_at.
 *
 * Records: a random generated line (from the MSISDNS file) each, 68% data (1..512 KB), 2% data roaming
 * in Japan (always charged), 20% voice (1..300 s), 10% SMS, stamped within the last hour, ids unique to the run.
 */
public class RatingLoad {

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        List<String> msisdns = Files.readAllLines(Path.of(o.get("msisdns"))).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        long records = Long.parseLong(o.getOrDefault("records", "1000000"));
        int batch = Integer.parseInt(o.getOrDefault("batch", "10000"));
        String run = o.getOrDefault("run", Long.toString(System.currentTimeMillis(), 36));
        switch (args[0]) {
            case "api" -> api(o.get("url"), o.get("token"), msisdns, records, batch, Integer.parseInt(o.getOrDefault("clients", "4")), run);
            case "file" -> file(Path.of(o.get("dir")), msisdns, records, batch, Long.parseLong(o.getOrDefault("rate", "0")), run);
            default -> throw new IllegalArgumentException("mode api or file");
        }
    }

    record Rec(String id, String msisdn, String type, String at, long quantity, String unit, String other, String country) {
    }

    static Rec record(SplittableRandom r, List<String> msisdns, String id, Instant now) {
        String msisdn = msisdns.get(r.nextInt(msisdns.size()));
        String at = now.minusSeconds(1 + r.nextInt(3600)).toString();
        int k = r.nextInt(100);
        if (k < 2) {
            // abroad: always charged, so every batch also posts to the ledger
            return new Rec(id, msisdn, "data", at, 1 + r.nextInt(512), "KB", "", "JP");
        } else if (k < 70) {
            return new Rec(id, msisdn, "data", at, 1 + r.nextInt(512), "KB", "", "");
        } else if (k < 90) {
            return new Rec(id, msisdn, "voice", at, 1 + r.nextInt(300), "s", "139" + (10_000_000 + r.nextInt(89_999_999)), "");
        }
        return new Rec(id, msisdn, "sms", at, 1, "", "139" + (10_000_000 + r.nextInt(89_999_999)), "");
    }

    static String json(List<Rec> recs) {
        StringBuilder b = new StringBuilder(recs.size() * 260).append('[');
        for (int i = 0; i < recs.size(); i++) {
            Rec x = recs.get(i);
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"id\":\"").append(x.id()).append("\",\"usageDate\":\"").append(x.at()).append("\",\"usageType\":\"")
                    .append(x.type()).append("\",\"usageCharacteristic\":[{\"name\":\"msisdn\",\"value\":\"").append(x.msisdn())
                    .append("\"},{\"name\":\"quantity\",\"value\":{\"amount\":").append(x.quantity()).append(",\"units\":\"")
                    .append(x.unit()).append("\"}}");
            if (!x.other().isEmpty()) {
                b.append(",{\"name\":\"otherParty\",\"value\":\"").append(x.other()).append("\"}");
            }
            if (!x.country().isEmpty()) {
                b.append(",{\"name\":\"roamingCountry\",\"value\":\"").append(x.country()).append("\"}");
            }
            b.append("]}");
        }
        return b.append(']').toString();
    }

    static String csv(List<Rec> recs) {
        StringBuilder b = new StringBuilder(recs.size() * 90).append("id,usageDate,usageType,msisdn,quantity,unit,roamingCountry,otherParty\n");
        for (Rec x : recs) {
            b.append(x.id()).append(',').append(x.at()).append(',').append(x.type()).append(',').append(x.msisdn()).append(',')
                    .append(x.quantity()).append(',').append(x.unit()).append(',').append(x.country()).append(',').append(x.other()).append('\n');
        }
        return b.toString();
    }

    private static final Pattern COUNT = Pattern.compile("\"(rated|duplicates|rejected)\":(\\d+)");

    static void api(String url, String token, List<String> msisdns, long records, int batch, int clients, String run) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        long batches = (records + batch - 1) / batch;
        AtomicLong next = new AtomicLong();
        AtomicLong rated = new AtomicLong();
        AtomicLong duplicates = new AtomicLong();
        AtomicLong rejected = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long[] latencies = new long[(int) batches];
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                SplittableRandom r = new SplittableRandom(run.hashCode() * 31L + client);
                for (long b; (b = next.getAndIncrement()) < batches; ) {
                    Instant now = Instant.now();
                    List<Rec> recs = new ArrayList<>(batch);
                    for (int i = 0; i < batch; i++) {
                        recs.add(record(r, msisdns, run + "-" + b + "-" + i, now));
                    }
                    String body = json(recs);
                    long t0 = System.nanoTime();
                    HttpResponse<String> reply = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/usage-batches"))
                            .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                            .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    latencies[(int) b] = (System.nanoTime() - t0) / 1_000_000;
                    if (reply.statusCode() != 200) {
                        failed.incrementAndGet();
                        System.err.println("batch " + b + " answered " + reply.statusCode() + ": " + reply.body().substring(0, Math.min(300, reply.body().length())));
                        continue;
                    }
                    String head = reply.body().substring(0, Math.min(200, reply.body().length()));
                    Matcher m = COUNT.matcher(head);
                    while (m.find()) {
                        long n = Long.parseLong(m.group(2));
                        switch (m.group(1)) {
                            case "rated" -> rated.addAndGet(n);
                            case "duplicates" -> duplicates.addAndGet(n);
                            default -> rejected.addAndGet(n);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        System.out.printf("records=%d%nbatches=%d%nbatch=%d%nclients=%d%nseconds=%.1f%nrecords_per_s=%.0f%n", batches * batch, batches, batch,
                clients, seconds, batches * batch / seconds);
        System.out.printf("latency_p50_ms=%d%nlatency_p99_ms=%d%nlatency_max_ms=%d%n", pct(sorted, 50), pct(sorted, 99), sorted[sorted.length - 1]);
        System.out.printf("rated=%d%nduplicates=%d%nrejected=%d%nfailed_batches=%d%n", rated.get(), duplicates.get(), rejected.get(), failed.get());
    }

    static long pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static void file(Path dir, List<String> msisdns, long records, int batch, long rate, String run) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        long files = (records + batch - 1) / batch;
        SplittableRandom r = new SplittableRandom(run.hashCode());
        // written ahead, renamed into place at their moment: the rename is the file's arrival
        Path staging = dir.resolve("staging-" + run);
        Files.createDirectories(staging);
        List<Path> ready = new ArrayList<>();
        Instant now = Instant.now();
        for (long f = 0; f < files; f++) {
            List<Rec> recs = new ArrayList<>(batch);
            for (int i = 0; i < batch; i++) {
                recs.add(record(r, msisdns, run + "-f" + f + "-" + i, now));
            }
            Path p = staging.resolve(String.format("cdr-%s-%05d.csv.tmp", run, f));
            Files.writeString(p, csv(recs), StandardCharsets.UTF_8);
            ready.add(p);
        }
        long start = System.currentTimeMillis();
        long intervalNanos = rate <= 0 ? 0 : (long) (batch * 1e9 / rate);
        long t0 = System.nanoTime();
        for (int f = 0; f < ready.size(); f++) {
            if (intervalNanos > 0) {
                long due = t0 + f * intervalNanos;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
            Path tmp = ready.get(f);
            String name = tmp.getFileName().toString().replace(".tmp", "");
            Path inDir = dir.resolve(name + ".tmp");
            Files.move(tmp, inDir);   // same file system: into the drop dir still as .tmp, then the atomic rename
            Files.move(inDir, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
            System.out.println("dropped " + name + " " + System.currentTimeMillis());
        }
        Files.deleteIfExists(staging);
        System.out.printf("files=%d%nbatch=%d%nrecords=%d%ndrop_start_ms=%d%n", files, batch, files * batch, start);
    }
}
