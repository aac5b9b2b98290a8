import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Load driver of bench/payments.sh and bench/payment-fault.sh (a single-file program:
 * java bench/PaymentLoad.java MODE ...). The driver plays the payers and the provider:
 *
 * login  BASE MSISDNS_FILE PASSWORD TOKENS_FILE   API login of each number (code from /dev/sms), "msisdn token" lines out
 * closed BASE TOKENS_FILE CONCURRENCY SECONDS     as fast as CONCURRENCY workers go: the sustainable rate
 * open   BASE TOKENS_FILE RATE SECONDS            top-ups started at RATE per second whatever the answers (open loop)
 * fault  BASE TOKENS_FILE CONCURRENCY SECONDS     like closed, but the provider's notification goes out once, twice,
 *                                                 late, never or is replayed, and runs until the hall dies or SECONDS pass
 *
 * One top-up, end to end: POST /api/v1/topups (Idempotency-Key) → the simulated provider takes the money
 * (POST /sim/alipay/orders/{id}/pay?notify=never) → its signed notification (GET …/notification) posted to
 * /api/v1/payments/notify/alipay, whose "success" comes after the credit committed. Latency is from the
 * moment the top-up was due (open loop: its slot in the schedule, so a slow hall cannot hide queueing) to
 * that "success". A 429 is counted as shed (the hall said "later"), not as an error; 5xx and transport
 * errors are errors. Prints one line of key=value figures; with PAYMENT_LOAD_IDS=prefix it also writes the
 * ids of the orders answered 201 (prefix-orders.txt) and of those whose credit was answered "success"
 * (prefix-credits.txt), for the crash test to find every one of them afterwards.
 */
public class PaymentLoad {

    static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*\"(\\d+)\"");
    static final Pattern PAIR = Pattern.compile("\"([^\"]+)\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    static final Pattern CODE = Pattern.compile("\\b(\\d{6})\\b");

    record Payer(String msisdn, String token) {
    }

    static final AtomicInteger created = new AtomicInteger();
    static final AtomicInteger completed = new AtomicInteger();
    static final AtomicInteger shed = new AtomicInteger();
    static final AtomicInteger serverErrors = new AtomicInteger();
    static final AtomicInteger otherStatus = new AtomicInteger();
    static final AtomicInteger transportErrors = new AtomicInteger();
    static final AtomicInteger notifyRefused = new AtomicInteger();
    static final AtomicLong amountCompletedFen = new AtomicLong();
    static final ConcurrentLinkedQueue<Long> latenciesMicros = new ConcurrentLinkedQueue<>();
    /** Time spent in each of the four requests of the top-ups that completed, summed (where a top-up waits). */
    static final String[] STEPS = {"create", "pay", "notification", "notify"};
    static final AtomicLong[] stepNanos = {new AtomicLong(), new AtomicLong(), new AtomicLong(), new AtomicLong()};
    /** Orders answered 201 and credits answered "success": the hall promised these, so they must survive a crash. */
    static final ConcurrentLinkedQueue<String> answeredOrders = new ConcurrentLinkedQueue<>();
    static final ConcurrentLinkedQueue<String> answeredCredits = new ConcurrentLinkedQueue<>();

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "login" -> login(args[1], Path.of(args[2]), args[3], Path.of(args[4]));
            case "closed" -> closed(args[1], payers(Path.of(args[2])), Integer.parseInt(args[3]), Integer.parseInt(args[4]), false);
            case "open" -> open(args[1], payers(Path.of(args[2])), Double.parseDouble(args[3]), Integer.parseInt(args[4]));
            case "fault" -> closed(args[1], payers(Path.of(args[2])), Integer.parseInt(args[3]), Integer.parseInt(args[4]), true);
            default -> throw new IllegalArgumentException("mode: login | closed | open | fault");
        }
    }

    static void login(String base, Path msisdns, String password, Path out) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String msisdn : Files.readAllLines(msisdns)) {
            if (msisdn.isBlank()) {
                continue;
            }
            Response login = post(base + "/api/v1/auth/login", "{\"msisdn\":\"" + msisdn + "\",\"password\":\"" + password + "\"}",
                    null, Map.of());
            if (login.statusCode() != 202) {
                throw new IllegalStateException("login of " + msisdn + ": " + login.statusCode() + " " + login.body());
            }
            Response sms = get(base + "/dev/sms?msisdn=" + msisdn, null);
            Matcher code = CODE.matcher(sms.body());
            if (!code.find()) {
                throw new IllegalStateException("no code for " + msisdn);
            }
            Response verify = post(base + "/api/v1/auth/verify", "{\"msisdn\":\"" + msisdn + "\",\"code\":\"" + code.group(1) + "\"}",
                    null, Map.of());
            Matcher token = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(verify.body());
            if (verify.statusCode() != 200 || !token.find()) {
                throw new IllegalStateException("verify of " + msisdn + ": " + verify.statusCode() + " " + verify.body());
            }
            lines.add(msisdn + " " + token.group(1));
        }
        Files.write(out, lines);
        System.out.println("tokens=" + lines.size());
    }

    static List<Payer> payers(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(l -> l.split(" ")).map(p -> new Payer(p[0], p[1])).toList();
    }

    static void closed(String base, List<Payer> payers, int concurrency, int seconds, boolean faults) throws Exception {
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(seconds);
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        AtomicInteger consecutiveFailures = new AtomicInteger();
        System.err.println("running " + concurrency + " workers");
        for (int w = 0; w < concurrency; w++) {
            SplittableRandom random = new SplittableRandom(1000 + w);
            int worker = w;
            pool.execute(() -> {
                int i = 0;
                while (System.nanoTime() < end && consecutiveFailures.get() < 50) {
                    Payer payer = payers.get((worker + i++ * concurrency) % payers.size());
                    int transportBefore = transportErrors.get();
                    topUp(base, payer, System.nanoTime(), random, faults);
                    // the hall is gone (killed): stop once every worker keeps finding it gone
                    if (transportErrors.get() > transportBefore) {
                        consecutiveFailures.incrementAndGet();
                    } else {
                        consecutiveFailures.set(0);
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(seconds + 120L, TimeUnit.SECONDS);
        report(System.nanoTime() - start);
    }

    static void open(String base, List<Payer> payers, double rate, int seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(256);
        long start = System.nanoTime();
        long total = Math.round(rate * seconds);
        long intervalNanos = Math.round(1_000_000_000L / rate);
        for (long i = 0; i < total; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            Payer payer = payers.get((int) (i % payers.size()));
            SplittableRandom random = new SplittableRandom(i);
            pool.execute(() -> topUp(base, payer, due, random, false));
        }
        pool.shutdown();
        pool.awaitTermination(300, TimeUnit.SECONDS);
        report(System.nanoTime() - start);
    }

    /** One top-up, create → pay → notify → credited; true when it was credited. */
    static boolean topUp(String base, Payer payer, long dueNanos, SplittableRandom random, boolean faults) {
        try {
            long amountFen = (10 + random.nextInt(91)) * 100L;
            long[] at = new long[5];
            at[0] = System.nanoTime();
            String body = "{\"msisdn\":\"" + payer.msisdn() + "\",\"amount\":{\"unit\":\"CNY\",\"value\":" + (amountFen / 100) + "},\"method\":\"alipay\"}";
            Response create = post(base + "/api/v1/topups", body, payer.token(), Map.of("Idempotency-Key", UUID.randomUUID().toString()));
            if (!count(create.statusCode(), 201)) {
                return false;
            }
            at[1] = System.nanoTime();
            created.incrementAndGet();
            Matcher id = ID.matcher(create.body());
            if (!id.find()) {
                otherStatus.incrementAndGet();
                return false;
            }
            String order = id.group(1);
            answeredOrders.add(order);
            int roll = faults ? random.nextInt(100) : 0;
            if (faults && roll < 10) {
                return false;                                   // the payer never pays
            }
            String mode = !faults ? "never" : roll < 40 ? "once" : roll < 55 ? "twice" : roll < 70 ? "late" : "never";
            Response pay = post(base + "/sim/alipay/orders/" + order + "/pay?notify=" + mode, "", null, Map.of());
            if (!count(pay.statusCode(), 200)) {
                return false;
            }
            at[2] = System.nanoTime();
            if (faults && roll >= 85) {
                return false;                                   // the notification is lost for good: query and reconciliation must find it
            }
            if (faults && !"never".equals(mode)) {
                return false;                                   // the simulator delivers it itself (once, twice or late)
            }
            Response notification = get(base + "/sim/alipay/orders/" + order + "/notification", null);
            if (!count(notification.statusCode(), 200)) {
                return false;
            }
            at[3] = System.nanoTime();
            String form = parse(notification.body()).entrySet().stream()
                    .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                    .collect(Collectors.joining("&"));
            // as a provider posts it: form-encoded, no Accept header (the hall answers "success" as text)
            Response notified = Http.exchange("POST", base + "/api/v1/payments/notify/alipay", null, "application/x-www-form-urlencoded", form,
                    null, Map.of());
            if (notified.statusCode() >= 500) {
                serverErrors.incrementAndGet();
                return false;
            }
            if (notified.statusCode() != 200 || !"success".equals(notified.body())) {
                notifyRefused.incrementAndGet();
                return false;
            }
            at[4] = System.nanoTime();
            for (int step = 0; step < STEPS.length; step++) {
                stepNanos[step].addAndGet(at[step + 1] - at[step]);
            }
            answeredCredits.add(order);
            latenciesMicros.add((System.nanoTime() - dueNanos) / 1000);
            completed.incrementAndGet();
            amountCompletedFen.addAndGet(amountFen);
            return true;
        } catch (IOException e) {
            transportErrors.incrementAndGet();
            return false;
        }
    }

    /** True when the status is the expected one; otherwise counts it as shed (429), server error (5xx) or other. */
    static boolean count(int status, int expected) {
        if (status == expected) {
            return true;
        }
        if (status == 429) {
            shed.incrementAndGet();
        } else if (status >= 500) {
            serverErrors.incrementAndGet();
        } else {
            otherStatus.incrementAndGet();
        }
        return false;
    }

    static Map<String, String> parse(String json) {
        Map<String, String> map = new LinkedHashMap<>();
        Matcher m = PAIR.matcher(json);
        while (m.find()) {
            map.put(m.group(1), m.group(2).replace("\\/", "/").replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return map;
    }

    static void report(long elapsedNanos) throws IOException {
        String ids = System.getenv("PAYMENT_LOAD_IDS");
        if (ids != null && !ids.isBlank()) {
            Files.write(Path.of(ids + "-orders.txt"), answeredOrders);
            Files.write(Path.of(ids + "-credits.txt"), answeredCredits);
        }
        long[] micros = latenciesMicros.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(micros);
        double seconds = elapsedNanos / 1e9;
        System.out.printf(java.util.Locale.ROOT,
                "seconds=%.1f created=%d completed=%d completed_per_s=%.1f p50_ms=%.1f p99_ms=%.1f max_ms=%.1f shed_429=%d errors_5xx=%d "
                        + "other_status=%d transport_errors=%d notify_refused=%d amount_completed_fen=%d driver_cpu_ms=%d%n",
                seconds, created.get(), completed.get(), completed.get() / seconds, pct(micros, 0.50), pct(micros, 0.99),
                micros.length == 0 ? 0 : micros[micros.length - 1] / 1000.0, shed.get(), serverErrors.get(), otherStatus.get(),
                transportErrors.get(), notifyRefused.get(), amountCompletedFen.get(),
                // the driver shares the machine's cores with the hall: what it used is reported beside what it measured
                ProcessHandle.current().info().totalCpuDuration().map(Duration::toMillis).orElse(-1L));
        // mean time of each request of a completed top-up (a key=value line of its own, for exploring where a top-up waits)
        StringBuilder steps = new StringBuilder();
        for (int step = 0; step < STEPS.length; step++) {
            steps.append(step == 0 ? "" : " ").append("mean_").append(STEPS[step]).append("_ms=")
                    .append(String.format(java.util.Locale.ROOT, "%.1f", completed.get() == 0 ? 0 : stepNanos[step].get() / 1e6 / completed.get()));
        }
        System.err.println(steps);
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1000.0;
    }

    static Response post(String url, String json, String token, Map<String, String> headers) throws IOException {
        return Http.exchange("POST", url, "application/json", "application/json", json, token, headers);
    }

    static Response get(String url, String token) throws IOException {
        return Http.exchange("GET", url, "application/json", null, null, token, Map.of());
    }

    /** An HTTP answer: its status and its body as text. */
    record Response(int statusCode, String body) {
    }

    /**
     * A plain HTTP/1.1 client over one kept-alive socket per driver thread. The driver shares the 2 cores with the hall,
     * and java.net.http's client (selector thread, async pipeline, per-request futures) cost ~0.5 ms of CPU per request:
     * as much as a large part of the hall's own work. Every step still goes over HTTP to the hall: a request is written
     * whole, the answer read whole (Content-Length or chunked) before the next one. A connection the hall closes
     * ("Connection: close", e.g. Tomcat's 100 requests per connection) or that sat idle is opened afresh.
     */
    static final class Http {

        private static final ThreadLocal<Http> CONNECTION = new ThreadLocal<>();
        /** Tomcat closes a kept-alive connection after 20 s of quiet by default: do not reuse one nearly that old. */
        private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);
        private static final int TIMEOUT_MILLIS = 60_000;

        private final String authority;
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private long lastUsed = System.nanoTime();
        private final StringBuilder head = new StringBuilder(512);
        private final ByteArrayOutputStream body = new ByteArrayOutputStream(1024);

        private Http(String host, int port) throws IOException {
            this.authority = host + ":" + port;
            this.socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            this.in = new BufferedInputStream(socket.getInputStream(), 8192);
            this.out = socket.getOutputStream();
        }

        static Response exchange(String method, String url, String accept, String contentType, String content, String token, Map<String, String> headers)
                throws IOException {
            URI uri = URI.create(url);
            String authority = uri.getHost() + ":" + uri.getPort();
            Http c = CONNECTION.get();
            if (c != null && (!c.authority.equals(authority) || System.nanoTime() - c.lastUsed > IDLE_NANOS)) {
                c.close();
                c = null;
            }
            if (c == null) {
                c = new Http(uri.getHost(), uri.getPort());
                CONNECTION.set(c);
            }
            try {
                return c.send(method, uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()), accept, contentType, content, token,
                        headers);
            } catch (IOException | RuntimeException e) {
                c.close();
                CONNECTION.remove();
                throw e;
            }
        }

        private Response send(String method, String target, String accept, String contentType, String content, String token, Map<String, String> headers)
                throws IOException {
            byte[] payload = content == null ? null : content.getBytes(StandardCharsets.UTF_8);
            head.setLength(0);
            head.append(method).append(' ').append(target).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
            if (accept != null) {
                head.append("Accept: ").append(accept).append("\r\n");
            }
            if (token != null) {
                head.append("Authorization: Bearer ").append(token).append("\r\n");
            }
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (payload != null) {
                head.append("Content-Type: ").append(contentType).append("\r\nContent-Length: ").append(payload.length).append("\r\n");
            }
            head.append("\r\n");
            byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
            if (payload == null) {
                out.write(headBytes);
            } else {
                byte[] request = Arrays.copyOf(headBytes, headBytes.length + payload.length);
                System.arraycopy(payload, 0, request, headBytes.length, payload.length);
                out.write(request);
            }
            out.flush();
            return read();
        }

        private Response read() throws IOException {
            String status = line();
            if (!status.startsWith("HTTP/1.1 ") || status.length() < 12) {
                throw new IOException("not an HTTP/1.1 answer: " + status);
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("Content-Length")) {
                    length = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                    chunked = value.toLowerCase(java.util.Locale.ROOT).contains("chunked");
                } else if (name.equalsIgnoreCase("Connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            body.reset();
            if (chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    copy(size);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                copy(length);
            } else {
                close = true;
                in.transferTo(body);
            }
            lastUsed = System.nanoTime();
            if (close) {
                close();
                CONNECTION.remove();
            }
            return new Response(code, body.toString(StandardCharsets.UTF_8));
        }

        private long chunkSize() throws IOException {
            String size = line();
            int semicolon = size.indexOf(';');
            return Long.parseLong((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
        }

        private void copy(long n) throws IOException {
            byte[] buffer = new byte[(int) Math.min(n, 8192)];
            while (n > 0) {
                int r = in.read(buffer, 0, (int) Math.min(n, buffer.length));
                if (r < 0) {
                    throw new EOFException("the answer ended early");
                }
                body.write(buffer, 0, r);
                n -= r;
            }
        }

        /** One header line (ISO-8859-1 as HTTP's are), without its CRLF. */
        private String line() throws IOException {
            StringBuilder b = new StringBuilder(64);
            for (int ch = in.read(); ch != '\n'; ch = in.read()) {
                if (ch < 0) {
                    throw new EOFException("the connection closed");
                }
                if (ch != '\r') {
                    b.append((char) ch);
                }
            }
            return b.toString();
        }

        private void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
