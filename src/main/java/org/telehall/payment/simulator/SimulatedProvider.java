package org.telehall.payment.simulator;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.telehall.payment.PaymentMethod;
import org.telehall.payment.PaymentProvider;
import org.telehall.shared.Money;

/**
 * A provider as the hall meets it, run locally: its own books (sim_provider_trade), its own pay page,
 * an RSA key pair (made at start; the private half never leaves this object) signing every
 * notification with SHA256withRSA over the sorted key=value pairs, as Alipay's RSA2 does. The hall
 * verifies with the public half only. Notifications go out through {@link SimulatorNotifier}. Each
 * day's settlement file is a CSV written from its books into {@code telehall.payments.settlement-dir}
 * (a past day's file once, as the provider publishes it; today's anew on every request), shaped like
 * Alipay's bill download: comment lines with {@code #}, then trade no, merchant order no, type, amount, time.
 */
public class SimulatedProvider implements PaymentProvider, MeterBinder, DisposableBean {

    static final String WAITING = "WAIT_BUYER_PAY";
    static final String SUCCESS = "TRADE_SUCCESS";
    static final String REFUNDED = "REFUNDED";

    private final PaymentMethod method;
    private final JdbcClient jdbc;
    private final Clock clock;
    private final KeyPair keys;
    private final String baseUrl;
    private final Path settlementDir;
    private final SimulatorNotifier notifier;
    private volatile SimulatorNotifier.Mode withholdingNotifications = SimulatorNotifier.Mode.ONCE;
    private final AtomicLong signatures = new AtomicLong();
    /** CPU time the signing threads spent in RSA: the provider's work, not the hall's, though here both share one JVM. */
    private final AtomicLong signingCpuNanos = new AtomicLong();
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /**
     * The provider's signing service: platform threads, as a provider's own servers would be, and because a virtual
     * thread (the hall's requests on JDK 21+) reports no CPU time of its own, so signing there could not be measured.
     */
    private final ExecutorService signer = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors(), r -> {
        Thread t = new Thread(r, "payment-simulator-sign");
        t.setDaemon(true);
        return t;
    });

    SimulatedProvider(PaymentMethod method, JdbcClient jdbc, Clock clock, String baseUrl, Path settlementDir, SimulatorNotifier notifier) {
        this.method = method;
        this.notifier = notifier;
        this.jdbc = jdbc;
        this.clock = clock;
        this.baseUrl = baseUrl;
        this.settlementDir = settlementDir.resolve(method.slug());
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            this.keys = generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public PaymentMethod method() {
        return method;
    }

    @Override
    public Checkout checkout(String outTradeNo, Money amount, String subject) {
        jdbc.sql("""
                insert into sim_provider_trade (provider, out_trade_no, trade_no, amount_fen, status, created_at)
                values (?, ?, ?, ?, 'WAIT_BUYER_PAY', ?) on conflict (provider, out_trade_no) do nothing
                """).params(method.slug(), outTradeNo, tradeNo(), amount.fen(), Timestamp.from(clock.instant())).update();
        String path = "/sim/" + method.slug() + "/pay/" + outTradeNo;
        return new Checkout(path, baseUrl + path);
    }

    @Override
    public Optional<Notification> verify(Map<String, String> params) {
        String sign = params.get("sign");
        if (sign == null || !"RSA2".equals(params.get("sign_type")) || !verifySignature(canonical(params), sign)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new Notification(params.get("out_trade_no"), params.get("trade_no"),
                    Money.ofFen(new BigDecimal(params.get("total_amount")).movePointRight(2).longValueExact()),
                    SUCCESS.equals(params.get("trade_status")), params.get("notify_id")));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public Optional<TradeStatus> query(String outTradeNo) {
        return trade(outTradeNo).map(t -> new TradeStatus(t.tradeNo(), Money.ofFen(t.amountFen()), SUCCESS.equals(t.status())));
    }

    @Override
    public Refund refund(String outTradeNo, String refundRequestNo, Money amount) {
        Optional<Trade> trade = trade(outTradeNo);
        if (trade.isEmpty()) {
            return new Refund(false, null, "TRADE_NOT_EXIST");
        }
        if (trade.get().amountFen() != amount.fen()) {
            return new Refund(false, null, "REFUND_AMOUNT_INVALID");
        }
        jdbc.sql("""
                update sim_provider_trade set status = 'REFUNDED', refund_no = ?, refunded_at = ?
                 where provider = ? and out_trade_no = ? and status = 'TRADE_SUCCESS'
                """).params(refundRequestNo, Timestamp.from(clock.instant()), method.slug(), outTradeNo).update();
        Trade after = trade(outTradeNo).orElseThrow();
        if (REFUNDED.equals(after.status()) && refundRequestNo.equals(after.refundNo())) {
            return new Refund(true, refundRequestNo, null);
        }
        return new Refund(false, null, REFUNDED.equals(after.status()) ? "TRADE_HAS_REFUNDED" : "TRADE_STATUS_ERROR");
    }

    @Override
    public Agreement signAgreement(String payerRef) {
        String agreementNo = method.slug().substring(0, 2).toUpperCase() + "AG" + UUID.randomUUID().toString().replace("-", "").substring(0, 20);
        jdbc.sql("insert into sim_provider_agreement (provider, agreement_no, payer_ref, status, signed_at) values (?, ?, ?, 'ACTIVE', ?)")
                .params(method.slug(), agreementNo, payerRef, Timestamp.from(clock.instant())).update();
        return new Agreement(agreementNo);
    }

    @Override
    public void unsignAgreement(String agreementNo) {
        jdbc.sql("update sim_provider_agreement set status = 'UNSIGNED' where provider = ? and agreement_no = ?")
                .params(method.slug(), agreementNo).update();
    }

    /** Takes the money under the agreement (once per order) and sends the signed notification, as after a page payment. */
    @Override
    public Withholding withhold(String agreementNo, String outTradeNo, Money amount) {
        boolean active = jdbc.sql("select count(*) from sim_provider_agreement where provider = ? and agreement_no = ? and status = 'ACTIVE'")
                .params(method.slug(), agreementNo).query(Long.class).single() > 0;
        if (!active) {
            return new Withholding(false, "AGREEMENT_NOT_EXIST");
        }
        Optional<Trade> trade = trade(outTradeNo);
        if (trade.isEmpty()) {
            return new Withholding(false, "TRADE_NOT_EXIST");
        }
        if (trade.get().amountFen() != amount.fen()) {
            return new Withholding(false, "TOTAL_FEE_INVALID");
        }
        payAndNotify(outTradeNo, withholdingNotifications);
        return new Withholding(true, null);
    }

    /** How this simulator delivers the notifications of withholdings (tests lose them on purpose). */
    void withholdingNotifications(SimulatorNotifier.Mode mode) {
        this.withholdingNotifications = mode;
    }

    static final String[] SETTLEMENT_COLUMNS = {"trade_no", "out_trade_no", "type", "amount", "time", "refund_no"};
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    @Override
    public SettlementFile settlementFile(LocalDate day) {
        Path file = settlementDir.resolve(method.slug() + "_" + day.format(DateTimeFormatter.BASIC_ISO_DATE) + ".csv");
        LocalDate today = clock.instant().atZone(SETTLEMENT_ZONE).toLocalDate();
        try {
            if (!Files.exists(file) || !day.isBefore(today)) {
                write(day, file);
            }
            byte[] content = Files.readAllBytes(file);
            return new SettlementFile(day, file.getFileName().toString(), HexFormat.of().formatHex(sha256(content)),
                    parse(new StringReader(new String(content, StandardCharsets.UTF_8))));
        } catch (IOException e) {
            throw new UncheckedIOException("settlement file " + file, e);
        }
    }

    /** Writes the day's file from the books: into a temporary file, then moved into place whole. */
    private void write(LocalDate day, Path file) throws IOException {
        Instant from = day.atStartOfDay(SETTLEMENT_ZONE).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(SETTLEMENT_ZONE).toInstant();
        List<SettlementLine> lines = jdbc.sql("""
                select trade_no, out_trade_no, 'PAYMENT' as type, amount_fen, paid_at as at, null as refund_no from sim_provider_trade
                 where provider = :p and status in ('TRADE_SUCCESS', 'REFUNDED') and paid_at >= :from and paid_at < :to
                union all
                select trade_no, out_trade_no, 'REFUND', amount_fen, refunded_at, refund_no from sim_provider_trade
                 where provider = :p and status = 'REFUNDED' and refunded_at >= :from and refunded_at < :to
                order by at, out_trade_no
                """).param("p", method.slug()).param("from", Timestamp.from(from)).param("to", Timestamp.from(to))
                .query((rs, n) -> new SettlementLine(rs.getString("trade_no"), rs.getString("out_trade_no"),
                        SettlementLine.Type.valueOf(rs.getString("type")), Money.ofFen(rs.getLong("amount_fen")),
                        rs.getTimestamp("at").toInstant(), rs.getString("refund_no")))
                .list();
        StringWriter out = new StringWriter();
        long in = lines.stream().filter(l -> l.type() == SettlementLine.Type.PAYMENT).mapToLong(l -> l.amount().fen()).sum();
        long back = lines.stream().filter(l -> l.type() == SettlementLine.Type.REFUND).mapToLong(l -> l.amount().fen()).sum();
        try (CSVPrinter csv = new CSVPrinter(out, CSVFormat.DEFAULT.builder().setCommentMarker('#').setRecordSeparator('\n').get())) {
            csv.printComment(method.name() + " settlement (simulated) 业务明细");
            csv.printComment("day " + day + " Asia/Shanghai [" + TIME.format(from.atZone(SETTLEMENT_ZONE)) + ", "
                    + TIME.format(to.atZone(SETTLEMENT_ZONE)) + ")");
            csv.printRecord((Object[]) SETTLEMENT_COLUMNS);
            for (SettlementLine l : lines) {
                csv.printRecord(l.tradeNo(), l.outTradeNo(), l.type(), l.amount().yuan().toPlainString(),
                        TIME.format(l.at().atZone(SETTLEMENT_ZONE)), l.refundNo() == null ? "" : l.refundNo());
            }
            csv.printComment("total " + lines.size() + " lines, in " + Money.ofFen(in).yuan().toPlainString() + ", refunded "
                    + Money.ofFen(back).yuan().toPlainString());
        }
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.writeString(tmp, out.toString(), StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Reads a settlement file as the hall would read a downloaded one. */
    static List<SettlementLine> parse(Reader reader) throws IOException {
        List<SettlementLine> lines = new ArrayList<>();
        CSVFormat format = CSVFormat.DEFAULT.builder().setCommentMarker('#').setHeader(SETTLEMENT_COLUMNS).setSkipHeaderRecord(true).get();
        for (CSVRecord r : format.parse(reader)) {
            lines.add(new SettlementLine(r.get("trade_no"), r.get("out_trade_no"), SettlementLine.Type.valueOf(r.get("type")),
                    Money.ofFen(new BigDecimal(r.get("amount")).movePointRight(2).longValueExact()),
                    LocalDateTime.parse(r.get("time"), TIME).atZone(SETTLEMENT_ZONE).toInstant(),
                    r.get("refund_no").isEmpty() ? null : r.get("refund_no")));
        }
        return lines;
    }

    private static byte[] sha256(byte[] content) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the provider's side, for the simulator's pages and controls

    record Trade(String outTradeNo, String tradeNo, long amountFen, String status, Instant paidAt, String refundNo) {
    }

    Optional<Trade> trade(String outTradeNo) {
        return jdbc.sql("select * from sim_provider_trade where provider = ? and out_trade_no = ?").params(method.slug(), outTradeNo)
                .query(SimulatedProvider::trade).optional();
    }

    private static Trade trade(ResultSet rs, int n) throws SQLException {
        return new Trade(rs.getString("out_trade_no"), rs.getString("trade_no"), rs.getLong("amount_fen"), rs.getString("status"),
                rs.getTimestamp("paid_at") == null ? null : rs.getTimestamp("paid_at").toInstant(), rs.getString("refund_no"));
    }

    /** The buyer pays: the provider takes the money (once). One statement when it is taken now, as it almost always is. */
    Optional<Trade> pay(String outTradeNo) {
        Optional<Trade> paid = jdbc.sql("""
                update sim_provider_trade set status = 'TRADE_SUCCESS', paid_at = ?
                 where provider = ? and out_trade_no = ? and status = 'WAIT_BUYER_PAY' returning *
                """).params(Timestamp.from(clock.instant()), method.slug(), outTradeNo).query(SimulatedProvider::trade).optional();
        return paid.isPresent() ? paid : trade(outTradeNo);
    }

    /**
     * The buyer pays, and the provider tells the hall as {@code mode} says. A notification is signed
     * only when one goes out: an RSA-2048 signature is the costliest step of a payment here (measured:
     * ~30% of the hall's CPU when every payment was signed twice), and one never sent needs none.
     */
    Optional<Trade> payAndNotify(String outTradeNo, SimulatorNotifier.Mode mode) {
        Optional<Trade> paid = pay(outTradeNo);
        if (paid.isPresent() && mode != SimulatorNotifier.Mode.NEVER) {
            notifier.send(method.slug(), notification(paid.get()), mode);
        }
        return paid;
    }

    /** How many signatures this provider has made since it started. */
    long signaturesMade() {
        return signatures.get();
    }

    /** The notification the provider sends for a trade, signed. */
    Map<String, String> notification(Trade trade) {
        Map<String, String> params = new TreeMap<>();
        params.put("notify_id", UUID.randomUUID().toString());
        params.put("notify_time", clock.instant().toString());
        params.put("out_trade_no", trade.outTradeNo());
        params.put("trade_no", trade.tradeNo());
        params.put("total_amount", Money.ofFen(trade.amountFen()).yuan().toPlainString());
        params.put("trade_status", trade.status());
        params.put("sign_type", "RSA2");
        params.put("sign", sign(canonical(params)));
        return params;
    }

    /** Signs any content with this provider's key: lets tests forge notifications only with a key that is not the provider's. */
    String sign(String content) {
        Future<String> signed = signer.submit(() -> {
            long before = THREADS.getCurrentThreadCpuTime();
            try {
                return sign(content, keys);
            } finally {
                signingCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - before);
                signatures.incrementAndGet();
            }
        });
        try {
            return signed.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the provider signed", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Signatures already asked for are still made (a caller waits on each), new ones are refused: dropping
     * queued ones, as shutdownNow would, left their callers waiting forever when the hall stopped mid-run.
     */
    @Override
    public void destroy() {
        signer.shutdown();
    }

    /** CPU time spent signing since start, in nanoseconds. */
    long signingCpuNanos() {
        return signingCpuNanos.get();
    }

    /**
     * The provider's signing as metrics, so a benchmark can tell the provider's CPU from the hall's: a
     * real provider signs on its own servers, the simulator on the hall's cores.
     */
    @Override
    public void bindTo(MeterRegistry registry) {
        FunctionCounter.builder("telehall.sim.signatures", signatures, AtomicLong::get).tag("provider", method.slug())
                .description("notifications the simulated provider signed").register(registry);
        FunctionCounter.builder("telehall.sim.signing.cpu", signingCpuNanos, n -> n.get() / 1e9).tag("provider", method.slug())
                .baseUnit("seconds").description("CPU time the simulated provider spent signing notifications").register(registry);
    }

    static String sign(String content, KeyPair keyPair) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(keyPair.getPrivate());
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean verifySignature(String content, String sign) {
        try {
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initVerify(keys.getPublic());
            signature.update(content.getBytes(StandardCharsets.UTF_8));
            return signature.verify(Base64.getDecoder().decode(sign));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /** key=value pairs sorted by key, joined by &, without sign and sign_type: what is signed. */
    static String canonical(Map<String, String> params) {
        return new TreeMap<>(params).entrySet().stream()
                .filter(e -> !e.getKey().equals("sign") && !e.getKey().equals("sign_type") && e.getValue() != null && !e.getValue().isEmpty())
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    private String tradeNo() {
        return method.slug().substring(0, 2).toUpperCase() + System.currentTimeMillis() + UUID.randomUUID().toString().substring(0, 8);
    }
}
