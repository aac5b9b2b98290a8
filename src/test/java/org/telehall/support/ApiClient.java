package org.telehall.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** An API caller: JSON in and out, an optional Bearer token, the answer's status, headers and body. */
public final class ApiClient {

    public record Reply(int status, java.net.http.HttpHeaders headers, String body) {
        public JsonNode json() {
            return JSON.readTree(body);
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().enable(tools.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    public ApiClient(String base) {
        this.base = base;
    }

    public Reply get(String path, String token) {
        return get(path, token, "zh-CN");
    }

    public Reply get(String path, String token, String acceptLanguage) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .header("Accept-Language", acceptLanguage).GET();
        return send(request, token);
    }

    public Reply post(String path, Map<String, ?> body, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return send(request, token);
    }

    /** Posts JSON with extra headers (an Idempotency-Key). */
    public Reply post(String path, Map<String, ?> body, String token, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        headers.forEach(request::header);
        return send(request, token);
    }

    /** Puts JSON, asking for answers (problem details too) in {@code acceptLanguage}. */
    public Reply put(String path, Map<String, ?> body, String token, String acceptLanguage) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .header("Content-Type", "application/json").header("Accept-Language", acceptLanguage)
                .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        return send(request, token);
    }

    public Reply delete(String path, String token) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json").DELETE(), token);
    }

    /** Posts a raw JSON body (an array, or something deliberately odd). */
    public Reply postJson(String path, String json, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json")
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        return send(request, token);
    }

    /** An OAuth2 client-credentials token from {@code /oauth2/token} (HTTP Basic); the reply when it is refused. */
    public Reply clientCredentials(String clientId, String secret) {
        String basic = java.util.Base64.getEncoder().encodeToString((clientId + ":" + secret).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/oauth2/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=network"));
        return send(request, null);
    }

    /** The demo network's access token. */
    public String networkToken() {
        Reply reply = clientCredentials("demo-network", "demo-network-secret");
        if (reply.status() != 200) {
            throw new AssertionError("client credentials answered " + reply.status() + ": " + reply.body());
        }
        return reply.json().get("access_token").asString();
    }

    /** Signs in through {@code /api/v1/auth} (password, then the SMS code) and returns the access token. */
    public String signIn(TestClock clock, String msisdn, String password, Function<String, String> codeFor) {
        // past the one-code-a-minute limit, and spaced so that no hour holds more than 10 codes
        clock.advance(Duration.ofMinutes(6));
        Reply login = post("/api/v1/auth/login", Map.of("msisdn", msisdn, "password", password), null);
        if (login.status() != 202) {
            throw new AssertionError("API login of " + msisdn + " answered " + login.status() + ": " + login.body());
        }
        Reply verify = post("/api/v1/auth/verify", Map.of("msisdn", msisdn, "code", codeFor.apply(msisdn)), null);
        if (verify.status() != 200) {
            throw new AssertionError("API verify of " + msisdn + " answered " + verify.status() + ": " + verify.body());
        }
        return verify.json().get("access_token").asString();
    }

    private Reply send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
