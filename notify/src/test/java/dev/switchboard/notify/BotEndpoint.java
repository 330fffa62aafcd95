package dev.switchboard.notify;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.switchboard.core.time.Clock;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bot's notification endpoint on a real socket: records every POST and checks its bearer token the
 * way a bot would (signature, kid, iss, aud, tid, validity at the test clock's time).
 */
final class BotEndpoint implements AutoCloseable {

    record Received(String path, Headers headers, String body, String token) {
        String messageId() {
            return headers.getFirst("X-Microsoft-Skype-Message-ID");
        }
    }

    /** The status and headers to answer one request with. */
    record Answer(int status, Map<String, String> headers) {
        static Answer status(int status) {
            return new Answer(status, Map.of());
        }
    }

    interface Script {
        Answer answer(Received request);
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final RSAKey publicKey;
    private final Clock clock;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final List<String> tokenProblems = new CopyOnWriteArrayList<>();
    private final AtomicReference<Script> script = new AtomicReference<>(r -> Answer.status(202));

    private BotEndpoint(HttpServer server, RSAKey publicKey, Clock clock) {
        this.server = server;
        this.publicKey = publicKey;
        this.clock = clock;
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    static BotEndpoint http(RSAKey signingKey, Clock clock) throws IOException {
        return new BotEndpoint(HttpServer.create(loopback(), 0), signingKey.toPublicJWK(), clock);
    }

    static BotEndpoint https(SSLContext tls, RSAKey signingKey, Clock clock) throws IOException {
        HttpsServer server = HttpsServer.create(loopback(), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return new BotEndpoint(server, signingKey.toPublicJWK(), clock);
    }

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    String url(String path) {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    void answer(Script script) {
        this.script.set(script);
    }

    List<Received> received() {
        return List.copyOf(received);
    }

    List<String> messageIds() {
        return received.stream().map(Received::messageId).toList();
    }

    /** Why tokens were refused; empty when every token was valid. */
    List<String> tokenProblems() {
        return List.copyOf(tokenProblems);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            Received request = new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(), body, token);
            received.add(request);
            String problem = verify(token);
            if (problem != null) {
                tokenProblems.add(problem);
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            Answer answer = script.get().answer(request);
            answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
            exchange.sendResponseHeaders(answer.status(), -1);
        }
    }

    private String verify(String token) {
        if (token == null) return "no bearer token";
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!publicKey.getKeyID().equals(jwt.getHeader().getKeyID())) return "kid " + jwt.getHeader().getKeyID();
            if (!jwt.verify(new RSASSAVerifier(publicKey))) return "bad signature";
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date now = Date.from(clock.now());
            if (!NotificationSigner.DEFAULT_ISSUER.equals(claims.getIssuer())) return "iss " + claims.getIssuer();
            if (!List.of(Outbox.APP).equals(claims.getAudience())) return "aud " + claims.getAudience();
            if (!Outbox.TENANT.equals(claims.getStringClaim("tid"))) return "tid " + claims.getClaim("tid");
            if (!now.before(claims.getExpirationTime())) return "expired at " + claims.getExpirationTime();
            if (now.before(claims.getNotBeforeTime())) return "not before " + claims.getNotBeforeTime();
            if (claims.getIssueTime() == null) return "no iat";
            return null;
        } catch (Exception e) {
            return "unreadable token: " + e;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
