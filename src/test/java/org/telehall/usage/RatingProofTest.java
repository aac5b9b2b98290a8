package org.telehall.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.MessageSource;
import org.springframework.transaction.support.TransactionTemplate;
import org.telehall.catalog.Catalog;
import org.telehall.catalog.Price;
import org.telehall.customer.Customers;
import org.telehall.customer.LineSuspension;
import org.telehall.inventory.Inventory;
import org.telehall.ledger.Ledger;
import org.telehall.ledger.Posting;
import org.telehall.ledger.ReasonCodes;
import org.telehall.shared.Money;
import org.telehall.support.ApiClient;
import org.telehall.support.HallIntegrationTest;
import tools.jackson.databind.JsonNode;

/**
 * Proofs of the money and allowance invariants of rating, against a model that knows the answer
 * whatever the order: for records in whole megabytes and minutes with allowances in whole megabytes,
 * how much of each kind a line may use and what the rest costs does not depend on which record
 * comes first, so any sequence, any split into batches and any interleaving of threads and nodes
 * must end in exactly the model's figures.
 */
class RatingProofTest extends HallIntegrationTest {

    private static final String PLAN = "plan-5g-58";
    private static final String FREE_NUMBER = "10086";
    private static final String ROAMING_COUNTRY = "JP";   // zone ASIA: 200 fen/MB, 99 fen/min, 39 fen/SMS, no roaming pack here

    @Autowired
    Rating rating;

    @Autowired
    Ledger ledger;

    @Autowired
    Catalog catalog;

    @Autowired
    UsageFileDrop drop;

    @Autowired
    MessageSource messages;

    @Autowired
    Clock appClock;

    // what a second node is built from: its own Rating with its own caches, on the same database
    @Autowired
    javax.sql.DataSource dataSource;

    @Autowired
    Customers customers;

    @Autowired
    Inventory inventory;

    @Autowired
    LineSuspension suspension;

    @Autowired
    TransactionTemplate tx;

    @Autowired
    ApplicationEventPublisher events;

    private Rating secondNode() {
        return new Rating(jdbc, dataSource, customers, inventory, catalog, ledger, suspension, tx, appClock, events, 200_000);
    }

    private static final AtomicInteger NEXT_LINE = new AtomicInteger();

    /** A line of its own (no login: rating needs none), on the plan, with the given allowance and money. */
    private TestLine line(long dataMb, long voiceMin, long sms, long packMb, long topUpFen, long creditFen) {
        Instant now = clock.instant();
        long n = NEXT_LINE.incrementAndGet() + (ProcessHandle.current().pid() % 1000) * 100_000L;
        String msisdn = String.format("171%08d", n);
        long customerId = jdbc.sql("insert into customer (kind, name, id_number_masked, real_name_verified) values ('PERSON', 'Proof', '110101********0000', true) returning id")
                .query(Long.class).single();
        long lineId = jdbc.sql("insert into line (customer_id, msisdn, iccid, status) values (?, ?, ?, 'ACTIVE') returning id")
                .params(customerId, msisdn, "8986019" + msisdn + "00").query(Long.class).single();
        ledger.openAccount(customerId, Money.ofFen(creditFen));
        Instant from = now.minus(Duration.ofDays(1));
        Instant to = now.plus(Duration.ofDays(29));
        long productId = jdbc.sql("insert into product (customer_id, line_id, offering_id, kind, status, started_at) values (?, ?, ?, 'PLAN', 'ACTIVE', ?) returning id")
                .params(customerId, lineId, PLAN, Timestamp.from(from)).query(Long.class).single();
        bucket(lineId, productId, PLAN, "PLAN", "DATA", dataMb * 1024, from, to);
        bucket(lineId, productId, PLAN, "PLAN", "VOICE", voiceMin, from, to);
        bucket(lineId, productId, PLAN, "PLAN", "SMS", sms, from, to);
        if (packMb > 0) {
            long pack = jdbc.sql("insert into product (customer_id, line_id, offering_id, kind, status, started_at, ends_at) values (?, ?, 'pack-data-2g-1d', 'PACK', 'ACTIVE', ?, ?) returning id")
                    .params(customerId, lineId, Timestamp.from(now.minus(Duration.ofHours(6))), Timestamp.from(now.plus(Duration.ofHours(6))))
                    .query(Long.class).single();
            bucket(lineId, pack, "pack-data-2g-1d", "PACK", "DATA", packMb * 1024, now.minus(Duration.ofHours(6)), now.plus(Duration.ofHours(6)));
        }
        if (topUpFen > 0) {
            ledger.credit(new Posting(customerId, Money.ofFen(topUpFen), "proof:topup:" + lineId, ReasonCodes.TOPUP, "proof"), "TOPUP");
        }
        return new TestLine(customerId, lineId, msisdn, dataMb, voiceMin, sms, packMb, topUpFen, creditFen);
    }

    private void bucket(long lineId, long productId, String offering, String source, String kind, long amount, Instant from, Instant to) {
        jdbc.sql("""
                insert into bucket (line_id, kind, source, product_id, offering_id, initial_amount, valid_from, valid_to)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                """).params(lineId, kind, source, productId, offering, amount, Timestamp.from(from), Timestamp.from(to)).update();
    }

    record TestLine(long customerId, long lineId, String msisdn, long dataMb, long voiceMin, long sms, long packMb, long topUpFen,
                    long creditFen) {
    }

    /** One record as the model sees it: whole MB, whole minutes, whole messages. */
    record Usage(String id, TestLine line, String type, String direction, Instant at, String otherParty, long amount, String roaming) {
        UsageSubmission submission() {
            return switch (type) {
                case "data" -> new UsageSubmission(id, line.msisdn(), type, direction, at.toString(), otherParty, BigDecimal.valueOf(amount), "MB", roaming);
                // a call's seconds round up to the minute: amount minutes less a few seconds
                case "voice" -> new UsageSubmission(id, line.msisdn(), type, direction, at.toString(), otherParty,
                        BigDecimal.valueOf(amount == 0 ? 0 : amount * 60 - 7), "s", roaming);
                default -> new UsageSubmission(id, line.msisdn(), type, direction, at.toString(), otherParty, BigDecimal.valueOf(amount), null, roaming);
            };
        }

        String csv() {
            UsageSubmission s = submission();
            return String.join(",", s.networkId(), s.usageDate(), s.usageType(), s.msisdn(), s.quantity().toPlainString(),
                    s.unit() == null ? "" : s.unit(), s.roamingCountry() == null ? "" : s.roamingCountry(),
                    s.otherParty() == null ? "" : s.otherParty(), s.direction() == null ? "" : s.direction());
        }
    }

    /** What the model says one line ends with. */
    record Expected(long dataUsedKb, long voiceUsed, long smsUsed, long chargedFen, long takenFen) {
    }

    private Expected model(TestLine line, List<Usage> distinct, Price price) {
        long data = 0;
        long voice = 0;
        long sms = 0;
        long roamingFen = 0;
        for (Usage u : distinct) {
            if (u.line() != line) {
                continue;
            }
            boolean free = FREE_NUMBER.equals(u.otherParty()) && !u.type().equals("data");
            boolean incomingAtHome = u.roaming() == null && "IN".equals(u.direction()) && !u.type().equals("data");
            if (free || incomingAtHome) {
                continue;
            }
            long units = u.type().equals("sms") ? Math.max(1, u.amount()) : u.amount();
            if (u.roaming() != null) {
                roamingFen += switch (u.type()) {
                    case "data" -> units * 200;
                    case "voice" -> units * 99;
                    default -> units * 39;
                };
                continue;
            }
            switch (u.type()) {
                case "data" -> data += units;
                case "voice" -> voice += units;
                default -> sms += units;
            }
        }
        long dataAllowanceMb = line.dataMb() + line.packMb();
        long dataUsedMb = Math.min(dataAllowanceMb, data);
        long voiceUsed = Math.min(line.voiceMin(), voice);
        long smsUsed = Math.min(line.sms(), sms);
        long charged = (data - dataUsedMb) * price.dataOveragePerMb().fen() + (voice - voiceUsed) * price.voiceOveragePerMinute().fen()
                + (sms - smsUsed) * price.smsOverage().fen() + roamingFen;
        // each posting takes what the account still has; once it is empty every later one takes nothing
        long taken = Math.min(charged, line.topUpFen() + line.creditFen());
        return new Expected(dataUsedMb * 1024, voiceUsed, smsUsed, charged, taken);
    }

    private void assertModel(TestLine line, List<Usage> distinct, Price price, String context) {
        Expected e = model(line, distinct, price);
        Map<String, Long> used = new HashMap<>();
        jdbc.sql("select kind, sum(used_amount), bool_and(used_amount <= initial_amount) from bucket where line_id = ? group by kind")
                .param(line.lineId()).query(rs -> {
                    used.put(rs.getString(1), rs.getLong(2));
                    assertThat(rs.getBoolean(3)).as(context + ": used <= allowance for every " + rs.getString(1) + " bucket").isTrue();
                });
        assertThat(used.get("DATA")).as(context + ": data used").isEqualTo(e.dataUsedKb());
        assertThat(used.get("VOICE")).as(context + ": minutes used").isEqualTo(e.voiceUsed());
        assertThat(used.get("SMS")).as(context + ": messages used").isEqualTo(e.smsUsed());
        long ratedFen = jdbc.sql("select coalesce(sum(charge_fen), 0) from usage_record where line_id = ?").param(line.lineId())
                .query(Long.class).single();
        assertThat(ratedFen).as(context + ": charged = overage priced").isEqualTo(e.chargedFen());
        long shortfall = jdbc.sql("select coalesce(sum(amount_fen), 0) from usage_shortfall where line_id = ?").param(line.lineId())
                .query(Long.class).single();
        assertThat(ledger.balanceOf(line.customerId())).as(context + ": balance").isEqualTo(Money.ofFen(line.topUpFen() - e.takenFen()));
        assertThat(shortfall).as(context + ": what the account could not pay is kept").isEqualTo(e.chargedFen() - e.takenFen());
        assertThat(ledger.journalSumOf(line.customerId())).as(context + ": balance = sum of journal").isEqualTo(ledger.balanceOf(line.customerId()));
        long distinctIds = distinct.stream().filter(u -> u.line() == line).count();
        assertThat(jdbc.sql("select count(*) from usage_record where line_id = ?").param(line.lineId()).query(Long.class).single())
                .as(context + ": one record per network id").isEqualTo(distinctIds);
    }

    private List<Usage> randomUsage(Random random, String run, List<TestLine> lines, int count) {
        Instant now = clock.instant();
        List<Usage> usage = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            TestLine line = lines.get(random.nextInt(lines.size()));
            String type = List.of("data", "data", "voice", "sms").get(random.nextInt(4));
            long amount = switch (type) {
                case "data" -> random.nextInt(6);
                case "voice" -> random.nextInt(8);
                default -> 1 + random.nextInt(2);
            };
            usage.add(new Usage(run + "-" + i, line, type, random.nextInt(6) == 0 ? "IN" : "OUT",
                    now.minusSeconds(1 + random.nextInt(3 * 3600)), random.nextInt(12) == 0 ? FREE_NUMBER : "13912345678", amount,
                    random.nextInt(10) == 0 ? ROAMING_COUNTRY : null));
        }
        return usage;
    }

    @Test
    void property_any_sequence_split_and_interleaving_ends_in_the_model_figures() throws Exception {
        long seed = Long.getLong("rating.seed", System.nanoTime());
        Random random = new Random(seed);
        Price price = catalog.get(PLAN).price();
        Rating[] nodes = {rating, secondNode()};
        int cases = Integer.getInteger("rating.cases", 60);
        for (int c = 0; c < cases; c++) {
            String context = "case " + c + " (rerun with -Drating.seed=" + seed + ")";
            List<TestLine> lines = new ArrayList<>();
            for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
                lines.add(line(random.nextInt(12), random.nextInt(10), random.nextInt(4), random.nextBoolean() ? random.nextInt(6) : 0,
                        random.nextInt(3) == 0 ? 0 : random.nextInt(400), random.nextInt(3) == 0 ? random.nextInt(100) : 0));
            }
            List<Usage> distinct = randomUsage(random, "prop-" + seed + "-" + c, lines, 5 + random.nextInt(60));
            // the network's delivery: every record at least once, some two or three times, in any order
            List<Usage> sent = new ArrayList<>(distinct);
            for (Usage u : distinct) {
                for (int k = random.nextInt(4); k > 2; k--) {
                    sent.add(u);
                }
                if (random.nextInt(3) == 0) {
                    sent.add(u);
                }
            }
            Collections.shuffle(sent, random);
            int batches = 1 + random.nextInt(5);
            List<List<UsageSubmission>> split = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                split.add(new ArrayList<>());
            }
            sent.forEach(u -> split.get(random.nextInt(batches)).add(u.submission()));

            Map<String, AtomicInteger> ratedTimes = new ConcurrentHashMap<>();
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Void>> work = new ArrayList<>();
            for (List<UsageSubmission> batch : split) {
                Rating node = nodes[random.nextInt(nodes.length)];
                work.add(() -> {
                    start.await();
                    for (RatingOutcome o : node.rate(batch)) {
                        assertThat(o.status()).as(context + ": " + o.networkId() + " " + o.reason()).isNotEqualTo(RatingOutcome.Status.REJECTED);
                        if (o.status() == RatingOutcome.Status.RATED) {
                            ratedTimes.computeIfAbsent(o.networkId(), k -> new AtomicInteger()).incrementAndGet();
                        }
                    }
                    return null;
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(work.size());
            try {
                List<Future<Void>> futures = new ArrayList<>();
                work.forEach(w -> futures.add(pool.submit(w)));
                start.countDown();
                for (Future<Void> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdown();
            }

            assertThat(ratedTimes.keySet()).as(context + ": every network id rated").hasSize(distinct.size());
            assertThat(ratedTimes.values()).as(context + ": each network id rated once").allMatch(n -> n.get() == 1);
            for (TestLine line : lines) {
                assertModel(line, distinct, price, context + ", line " + line.msisdn());
            }
        }
    }

    @Test
    void many_threads_on_two_nodes_through_the_api_the_file_drop_and_direct_calls_never_overspend() throws Exception {
        Price price = catalog.get(PLAN).price();
        Random random = new Random(Long.getLong("rating.seed", 20261123L));
        // two lines that run out of data and of money in the middle of it all
        List<TestLine> lines = List.of(line(40, 30, 5, 10, 150, 20), line(25, 0, 0, 0, 60, 0));
        String run = "crowd-" + Long.toString(System.nanoTime(), 36);
        List<Usage> distinct = randomUsage(random, run, lines, 400);

        List<Callable<Void>> work = new ArrayList<>();
        Rating[] nodes = {rating, secondNode()};
        ApiClient api = new ApiClient(baseUrl());
        String token = api.networkToken();
        for (int t = 0; t < 12; t++) {
            // every thread sends an overlapping window of the same records: each id arrives 3 times, from different paths
            List<Usage> window = new ArrayList<>();
            for (int i = 0; i < distinct.size(); i++) {
                if ((i + t) % 4 == 0 || (i + t) % 4 == 1 || t % 4 == 3 && (i + t) % 4 == 2) {
                    window.add(distinct.get(i));
                }
            }
            Collections.shuffle(window, random);
            int path = t % 3;
            int thread = t;
            work.add(() -> {
                for (int from = 0; from < window.size(); from += 50) {
                    List<Usage> part = window.subList(from, Math.min(window.size(), from + 50));
                    switch (path) {
                        case 0 -> nodes[thread % 2].rate(part.stream().map(Usage::submission).toList());
                        case 1 -> {
                            JsonNode reply = api.postJson("/api/v1/usage-batches", json(part), token).json();
                            assertThat(reply.get("rejected").asInt()).isZero();
                        }
                        default -> {
                            Path tmp = drop.dir().resolve(run + "-" + thread + "-" + from + ".csv.tmp");
                            Files.createDirectories(drop.dir());
                            Files.writeString(tmp, String.join("\n", part.stream().map(Usage::csv).toList()) + "\n", StandardCharsets.UTF_8);
                            Files.move(tmp, tmp.resolveSibling(tmp.getFileName().toString().replace(".tmp", "")));
                            drop.drain();
                        }
                    }
                }
                return null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(work.size());
        try {
            for (Future<Void> f : pool.invokeAll(work)) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        drop.drain();
        // a second node on the same directory finds nothing left
        assertThat(new UsageFileDrop(rating, jdbc, messages, appClock, drop.dir(), Duration.ZERO, Duration.ofMinutes(10), 1, 100,
                Locale.ENGLISH, "late-node", "-").drain()).isEmpty();

        for (TestLine line : lines) {
            assertModel(line, distinct, price, "line " + line.msisdn());
        }
        assertThat(jdbc.sql("select count(*) from usage_seen where network_id like ?").param(run + "-%").query(Long.class).single())
                .isEqualTo(distinct.size());
    }

    private static String json(List<Usage> part) {
        List<String> objects = new ArrayList<>();
        for (Usage u : part) {
            UsageSubmission s = u.submission();
            StringBuilder chars = new StringBuilder("{\"name\":\"msisdn\",\"value\":\"" + s.msisdn() + "\"}")
                    .append(",{\"name\":\"quantity\",\"value\":{\"amount\":").append(s.quantity().toPlainString())
                    .append(",\"units\":\"").append(s.unit() == null ? "" : s.unit()).append("\"}}")
                    .append(",{\"name\":\"direction\",\"value\":\"").append(s.direction()).append("\"}")
                    .append(",{\"name\":\"otherParty\",\"value\":\"").append(s.otherParty()).append("\"}");
            if (s.roamingCountry() != null) {
                chars.append(",{\"name\":\"roamingCountry\",\"value\":\"").append(s.roamingCountry()).append("\"}");
            }
            objects.add("{\"id\":\"" + s.networkId() + "\",\"usageDate\":\"" + s.usageDate() + "\",\"usageType\":\"" + s.usageType()
                    + "\",\"usageCharacteristic\":[" + chars + "]}");
        }
        return "[" + String.join(",", objects) + "]";
    }
}
