package dev.switchboard.notify;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.core.time.Clock;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Issues the bearer tokens that prove a notification comes from this server: RS256 JWTs with the
 * signing key's {@code kid}, {@code aud} = the bot's app id and {@code tid} = its tenant.
 *
 * <p>Signing costs about a millisecond, so a token is reused for every delivery to the same
 * (tenant, app, key) until less than half of its {@link #LIFETIME} is left; a rotated key takes
 * effect with the next token issued. Thread-safe.
 */
public final class NotificationSigner {

    public static final String DEFAULT_ISSUER = "https://api.botframework.com";
    public static final Duration LIFETIME = Duration.ofMinutes(10);
    /** Tolerates a bot's clock running a little behind ours. */
    static final Duration SKEW = Duration.ofSeconds(5);
    /** Bounds the cache when many apps come and go; expired tokens are dropped past this size. */
    private static final int PURGE_ABOVE = 10_000;

    private final Supplier<RSAKey> signingKey;
    private final String issuer;
    private final Clock clock;
    private final Map<Audience, Token> tokens = new ConcurrentHashMap<>();

    public NotificationSigner(Supplier<RSAKey> signingKey, String issuer, Clock clock) {
        this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * A token for deliveries to {@code appId} in {@code tenantId}, fresh or cached.
     *
     * @throws IllegalStateException if the key cannot sign (no private part, no {@code kid})
     */
    public String token(String tenantId, String appId) {
        RSAKey key = signingKey.get();
        if (key == null || key.getKeyID() == null) {
            throw new IllegalStateException("the notification signing key has no kid");
        }
        Instant now = clock.now();
        Audience audience = new Audience(tenantId, appId, key.getKeyID());
        Token token = tokens.compute(audience, (a, cached) ->
                cached != null && cached.freshAt(now) ? cached : sign(key, a, now));
        if (tokens.size() > PURGE_ABOVE) {
            tokens.values().removeIf(t -> !now.isBefore(t.expiresAt()));
        }
        return token.jwt();
    }

    private Token sign(RSAKey key, Audience audience, Instant now) {
        Instant expires = now.plus(LIFETIME);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .audience(audience.appId())
                .claim("tid", audience.tenantId())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now.minus(SKEW)))
                .expirationTime(Date.from(expires))
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(key.getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign a notification token with key " + key.getKeyID(), e);
        }
        return new Token(jwt.serialize(), now, expires);
    }

    private record Audience(String tenantId, String appId, String keyId) {}

    private record Token(String jwt, Instant issuedAt, Instant expiresAt) {
        boolean freshAt(Instant now) {
            Instant renewAt = issuedAt.plus(Duration.between(issuedAt, expiresAt).dividedBy(2));
            return !now.isBefore(issuedAt) && now.isBefore(renewAt);
        }
    }
}
