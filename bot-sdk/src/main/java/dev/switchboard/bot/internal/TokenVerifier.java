package dev.switchboard.bot.internal;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Date;
import java.util.Optional;

/**
 * Checks a notification's bearer token as Graph documents it: RS256 by a published key ({@code kid}),
 * {@code aud} = the bot's app id, {@code iss} = the configured issuer, {@code tid} present, {@code exp}
 * required and {@code nbf}/{@code exp} within the allowed clock skew. Thread-safe.
 */
final class TokenVerifier {

    /** The verdict: a tenant when accepted, or why not. */
    record Result(Optional<String> tenantId, String problem) {
        static Result ok(String tid) {
            return new Result(Optional.of(tid), "");
        }

        static Result refused(String why) {
            return new Result(Optional.empty(), why);
        }

        boolean accepted() {
            return tenantId.isPresent();
        }
    }

    private final KeyCache keys;
    private final String audience;
    private final String issuer;
    private final Duration skew;
    private final InstantSource clock;

    TokenVerifier(KeyCache keys, String audience, String issuer, Duration skew, InstantSource clock) {
        this.keys = keys;
        this.audience = audience;
        this.issuer = issuer;
        this.skew = skew;
        this.clock = clock;
    }

    void warmUp() {
        keys.prefetch();
    }

    /** @throws java.io.UncheckedIOException when the issuer's keys cannot be read (not the sender's fault) */
    Result verify(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return Result.refused("no bearer token");
        try {
            SignedJWT jwt = SignedJWT.parse(authorization.substring(7).trim());
            if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) return Result.refused("alg " + jwt.getHeader().getAlgorithm() + " is not RS256");
            String kid = jwt.getHeader().getKeyID();
            if (kid == null) return Result.refused("no kid");
            Optional<JWK> key = keys.key(kid);
            if (key.isEmpty()) return Result.refused("kid " + kid + " is not published by the issuer");
            if (!(key.get() instanceof RSAKey rsa)) return Result.refused("kid " + kid + " is not an RSA key");
            if (!jwt.verify(new RSASSAVerifier(rsa))) return Result.refused("bad signature");
            return claims(jwt.getJWTClaimsSet());
        } catch (ParseException e) {
            return Result.refused("not a signed JWT: " + e.getMessage());
        } catch (JOSEException e) {
            return Result.refused("signature cannot be checked: " + e.getMessage());
        }
    }

    private Result claims(JWTClaimsSet c) throws ParseException {
        if (c.getAudience() == null || !c.getAudience().contains(audience)) return Result.refused("aud " + c.getAudience() + " is not " + audience);
        if (!issuer.equals(c.getIssuer())) return Result.refused("iss " + c.getIssuer() + " is not " + issuer);
        String tid = c.getStringClaim("tid");
        if (tid == null || tid.isBlank()) return Result.refused("no tid");
        Instant now = clock.instant();
        Date exp = c.getExpirationTime();
        if (exp == null) return Result.refused("no exp");
        if (!exp.toInstant().plus(skew).isAfter(now)) return Result.refused("expired at " + exp.toInstant());
        Date nbf = c.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().minus(skew).isAfter(now)) return Result.refused("not valid before " + nbf.toInstant());
        return Result.ok(tid);
    }
}
