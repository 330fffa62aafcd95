package dev.switchboard.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * A bot's notification endpoint for the demo: checks each delivery's JWT against the keys Switchboard
 * publishes, answers 202 at once, then hands the notification on.
 */
final class NotificationInbox implements AutoCloseable {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private volatile String appId;
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private volatile JWKSet keys;
    private volatile String issuer;
    private volatile Consumer<JsonNode> onNotification = n -> { };

    NotificationInbox() throws IOException {
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/calling", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(4));
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/calling";
    }

    /** Fetches the notification signing keys from Switchboard's OpenID document; tokens must name {@code appId}. */
    void trust(String baseUrl, String appId) throws IOException, InterruptedException {
        this.appId = appId;
        HttpClient http = HttpClient.newHttpClient();
        JsonNode doc = MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/.well-known/OpenIdConfiguration")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        issuer = doc.get("issuer").asText();
        try {
            keys = JWKSet.parse(http.send(HttpRequest.newBuilder(URI.create(doc.get("jwks_uri").asText())).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } catch (java.text.ParseException e) {
            throw new IOException("the published keys are not a JWK set", e);
        }
    }

    void onNotification(Consumer<JsonNode> handler) {
        this.onNotification = handler;
    }

    List<JsonNode> received() {
        return List.copyOf(received);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!verified(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            JsonNode body = MAPPER.readTree(exchange.getRequestBody());
            exchange.sendResponseHeaders(202, -1);
            for (JsonNode n : body.path("value")) {
                received.add(n);
                onNotification.accept(n);
            }
        }
    }

    private boolean verified(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ") || keys == null) return false;
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring(7));
            var key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
            return key != null && jwt.verify(new RSASSAVerifier(key.toRSAKey()))
                    && jwt.getJWTClaimsSet().getAudience().contains(appId)
                    && issuer.equals(jwt.getJWTClaimsSet().getIssuer())
                    && jwt.getJWTClaimsSet().getExpirationTime().toInstant().isAfter(java.time.Instant.now());
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
