package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The public API as an app uses it: client-credentials tokens, create and read calls. Thread-safe. */
final class GraphHttp {

    static final String SCOPE = "https://graph.microsoft.com/.default";
    static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    GraphHttp(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** A token for {@code app}, fetched once per server (the test clock rarely passes its hour). */
    String token(TestApp app) {
        return tokens.computeIfAbsent(app.id(), k -> {
            String form = "grant_type=client_credentials&client_id=" + enc(app.id()) + "&client_secret=" + enc(app.secret())
                    + "&scope=" + enc(SCOPE);
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/" + app.tenantId() + "/oauth2/v2.0/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
            if (r.statusCode() != 200) throw new IllegalStateException("token for " + app.name() + ": " + r.statusCode() + " " + r.body());
            return json(r.body()).path("access_token").asText();
        });
    }

    void forgetTokens() {
        tokens.clear();
    }

    /** POST /v1.0/communications/calls as {@code caller}; the 201 body. */
    JsonNode create(TestApp caller, ObjectNode call) {
        HttpResponse<String> r = send(request("/v1.0/communications/calls", caller)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(call.toString())));
        if (r.statusCode() != 201) throw new IllegalStateException("placing the call was refused: " + r.statusCode() + " " + r.body());
        return json(r.body());
    }

    /** GET /v1.0/communications/calls/{id} as {@code app}: the status and body. */
    HttpResponse<String> get(TestApp app, String callId) {
        return send(request("/v1.0/communications/calls/" + callId, app).GET());
    }

    /** DELETE /v1.0/communications/calls/{id} as {@code app}: the status. */
    int delete(TestApp app, String callId) {
        return send(request("/v1.0/communications/calls/" + callId, app).DELETE()).statusCode();
    }

    private HttpRequest.Builder request(String path, TestApp app) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token(app));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static JsonNode json(String body) {
        try {
            return body.isEmpty() ? MAPPER.createObjectNode() : MAPPER.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
