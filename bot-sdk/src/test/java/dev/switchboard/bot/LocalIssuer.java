package dev.switchboard.bot;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A notification issuer on a real socket: an OpenID configuration naming a JWKS, keys that rotate, and
 * tokens signed as Graph signs them. Counts how often its key set is read.
 */
final class LocalIssuer implements AutoCloseable {

    static final String ISSUER = "https://api.botframework.com";

    private final HttpServer server;
    private final AtomicInteger keyReads = new AtomicInteger();
    private volatile RSAKey current;
    private volatile List<RSAKey> published;

    LocalIssuer() throws Exception {
        current = newKey();
        published = List.of(current);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/.well-known/OpenIdConfiguration", ex -> reply(ex,
                "{\"issuer\":\"" + ISSUER + "\",\"jwks_uri\":\"" + base() + "/v1/.well-known/keys\"}"));
        server.createContext("/v1/.well-known/keys", ex -> {
            keyReads.incrementAndGet();
            reply(ex, new JWKSet(published.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k.toPublicJWK()).toList()).toString());
        });
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String openIdConfiguration() {
        return base() + "/v1/.well-known/OpenIdConfiguration";
    }

    int keyReads() {
        return keyReads.get();
    }

    /** A new signing key; the old one stays published. */
    void rotate() throws Exception {
        current = newKey();
        published = List.of(published.get(0), current);
    }

    /** A token as Graph sends it to {@code appId}, valid now for ten minutes, changed by {@code edit}. */
    String token(String appId, Instant now, UnaryOperator<JWTClaimsSet.Builder> edit) throws Exception {
        return sign(current, edit.apply(new JWTClaimsSet.Builder()
                .issuer(ISSUER).audience(appId).claim("tid", "tenant-1")
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plusSeconds(600)))).build());
    }

    String token(String appId, Instant now) throws Exception {
        return token(appId, now, b -> b);
    }

    /** Signed by a key this issuer never published. */
    String tokenByStranger(String appId, Instant now) throws Exception {
        return sign(newKey(), new JWTClaimsSet.Builder().issuer(ISSUER).audience(appId).claim("tid", "tenant-1")
                .expirationTime(Date.from(now.plusSeconds(600))).build());
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static RSAKey newKey() throws Exception {
        return new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
    }

    private static void reply(HttpExchange ex, String json) throws IOException {
        try (ex) {
            byte[] b = json.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, b.length);
            ex.getResponseBody().write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
