package dev.switchboard.bot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Duration;
import java.util.Optional;

/**
 * The issuer's notification signing keys: read from the OpenID configuration's {@code jwks_uri}, kept,
 * and read again when a token names an unknown {@code kid} — at most once per refresh interval, so a
 * flood of forged kids cannot make us hammer the issuer. Thread-safe.
 */
final class KeyCache {

    private final URI openIdConfiguration;
    private final Duration refreshInterval;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3))
            .followRedirects(HttpClient.Redirect.NORMAL).build();
    private volatile JWKSet keys;
    private long lastFetchNanos;

    KeyCache(String openIdConfiguration, Duration refreshInterval) {
        this.openIdConfiguration = URI.create(openIdConfiguration);
        this.refreshInterval = refreshInterval;
    }

    /**
     * The key named {@code kid}, fetching the set when it is not known yet and the interval allows.
     *
     * @throws UncheckedIOException when no key set could be read at all
     */
    Optional<JWK> key(String kid) {
        JWKSet current = keys;
        if (current != null) {
            JWK k = current.getKeyByKeyId(kid);
            if (k != null) return Optional.of(k);
        }
        synchronized (this) {
            if (keys != current && keys != null && keys.getKeyByKeyId(kid) != null) return Optional.of(keys.getKeyByKeyId(kid));
            boolean due = keys == null || System.nanoTime() - lastFetchNanos >= refreshInterval.toNanos();
            if (due) {
                try {
                    keys = fetch();
                } finally {
                    lastFetchNanos = System.nanoTime();
                }
            }
            return Optional.ofNullable(keys.getKeyByKeyId(kid));
        }
    }

    /** Reads the key set now if none was read yet (a warm start); failures are left for the first token to meet. */
    void prefetch() {
        synchronized (this) {
            if (keys != null) return;
            try {
                keys = fetch();
                lastFetchNanos = System.nanoTime() - refreshInterval.toNanos();   // a warm start does not hold back a refresh
            } catch (RuntimeException e) {
                // the issuer may not be up yet
            }
        }
    }

    private JWKSet fetch() {
        try {
            JsonNode doc = Json.MAPPER.readTree(get(openIdConfiguration));
            String jwks = Json.text(doc, "jwks_uri");
            if (jwks.isEmpty()) throw new IOException(openIdConfiguration + " names no jwks_uri");
            return JWKSet.parse(get(URI.create(jwks)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ParseException e) {
            throw new UncheckedIOException(new IOException("the published keys are not a JWK set: " + e.getMessage(), e));
        }
    }

    private String get(URI uri) throws IOException {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) throw new IOException("GET " + uri + " answered " + r.statusCode());
            return r.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted reading " + uri, e);
        }
    }
}
