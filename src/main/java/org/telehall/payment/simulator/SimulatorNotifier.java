package org.telehall.payment.simulator;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;

/**
 * Sends a simulated provider's notifications to the hall over HTTP, as the provider's servers would:
 * asynchronously, form-encoded, to {@code /api/v1/payments/notify/{provider}} — now, twice at once,
 * late, or never.
 */
public class SimulatorNotifier implements DisposableBean {

    public enum Mode { ONCE, TWICE, LATE, NEVER }

    private static final Logger log = LoggerFactory.getLogger(SimulatorNotifier.class);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "payment-simulator-notify");
        t.setDaemon(true);
        return t;
    });
    private final Duration lateBy;
    private volatile int port;

    SimulatorNotifier(Duration lateBy) {
        this.lateBy = lateBy;
    }

    @EventListener
    void serverStarted(WebServerInitializedEvent event) {
        port = event.getWebServer().getPort();
    }

    void send(String provider, Map<String, String> params, Mode mode) {
        switch (mode) {
            case ONCE -> timer.execute(() -> post(provider, params));
            case TWICE -> {
                timer.execute(() -> post(provider, params));
                Thread second = new Thread(() -> post(provider, params), "payment-simulator-notify-2");
                second.setDaemon(true);
                second.start();
            }
            case LATE -> timer.schedule(() -> post(provider, params), lateBy.toMillis(), TimeUnit.MILLISECONDS);
            case NEVER -> { }
        }
    }

    /** Posts one notification and answers what the hall said ("success" when it took it). */
    String post(String provider, Map<String, String> params) {
        String body = params.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/payments/notify/" + provider))
                    .header("Content-Type", "application/x-www-form-urlencoded").timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            return response.body();
        } catch (Exception e) {
            log.info("simulated {} notification not delivered: {}", provider, e.toString());
            return "error";
        }
    }

    @Override
    public void destroy() {
        timer.shutdownNow();
    }
}
