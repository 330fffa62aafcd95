package dev.switchboard.api.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.core.apps.App;
import dev.switchboard.core.apps.Directory;
import dev.switchboard.core.apps.Permission;
import dev.switchboard.core.time.Clock;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Issues and checks the app-only access tokens of the calls API: RS256 JWTs carrying {@code tid},
 * {@code appid}/{@code azp} and {@code roles}, as Entra ID issues them for Graph.
 */
public final class AccessTokens {

    /** The Graph resource's app id, an audience real Graph tokens carry. */
    public static final String GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";
    public static final String GRAPH_RESOURCE = "https://graph.microsoft.com";
    static final Duration LIFETIME = Duration.ofHours(1);
    private static final Duration SKEW = Duration.ofMinutes(2);
    private static final int CACHE_LIMIT = 10_000;

    private final KeySource keys;
    private final Directory directory;
    private final Clock clock;
    private final String baseUrl;
    private final Set<String> audiences;
    // Verifying RS256 costs tens of microseconds per request; bots reuse a token for an hour.
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    public AccessTokens(KeySource keys, Directory directory, Clock clock, String baseUrl) {
        this.keys = keys;
        this.directory = directory;
        this.clock = clock;
        this.baseUrl = stripSlash(baseUrl);
        this.audiences = Set.of(this.baseUrl, this.baseUrl + "/", GRAPH_RESOURCE, GRAPH_RESOURCE + "/", GRAPH_APP_ID);
    }

    public String issuer(String tenantId) {
        return baseUrl + "/" + tenantId + "/v2.0";
    }

    public boolean isKnownAudience(String audience) {
        return audiences.contains(audience);
    }

    /** An access token for {@code app}, for the resource {@code audience}. */
    public String issue(App app, String audience) {
        Instant now = clock.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer(app.tenantId()))
                .audience(audience)
                .subject(app.id())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .claim("tid", app.tenantId())
                .claim("appid", app.id())
                .claim("azp", app.id())
                .claim("app_displayname", app.name())
                .claim("idtyp", "app")
                .claim("ver", "2.0")
                .claim("roles", app.permissions().stream().map(Permission::role).sorted().toList())
                .build();
        var key = keys.current();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
    }

    public long lifetimeSeconds() {
        return LIFETIME.toSeconds();
    }

    /**
     * The principal of a bearer token, or the reason it is refused: absent, unparsable, forged,
     * expired, for another audience, or for an unknown tenant or app.
     */
    public Authentication verify(Optional<String> authorization) {
        if (authorization.isEmpty()) return new Authentication.Refused("Access token is empty.");
        String header = authorization.get().trim();
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return new Authentication.Refused("Access token validation failure: not a bearer token.");
        }
        String token = header.substring(7).trim();
        Instant now = clock.now();
        Verified cached = verified.get(token);
        if (cached != null) return cached.at(now);
        Verified fresh = check(token, now);
        if (fresh.result() instanceof Authentication.Accepted) {
            if (verified.size() >= CACHE_LIMIT) verified.clear();
            verified.put(token, fresh);
        }
        return fresh.at(now);
    }

    private Verified check(String token, Instant now) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            return Verified.refused("Access token validation failure. Invalid audience or malformed token.");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) return Verified.refused("Access token is not RS256.");
        JWK key = keys.published().getKeyByKeyId(jwt.getHeader().getKeyID());
        try {
            if (key == null || !jwt.verify(new RSASSAVerifier(key.toRSAKey()))) {
                return Verified.refused("Access token validation failure: invalid signature.");
            }
        } catch (JOSEException e) {
            return Verified.refused("Access token validation failure: invalid signature.");
        }
        Date exp = claims.getExpirationTime();
        if (exp == null) return Verified.refused("Access token has no expiry.");
        Instant expiry = exp.toInstant();
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(SKEW))) return Verified.refused("Access token is not yet valid.");
        List<String> aud = claims.getAudience();
        if (aud == null || aud.stream().noneMatch(audiences::contains)) {
            return Verified.refused("Access token validation failure. Invalid audience.");
        }
        String tid = stringClaim(claims, "tid");
        String appId = Optional.ofNullable(stringClaim(claims, "appid")).orElse(stringClaim(claims, "azp"));
        if (tid == null || appId == null) return Verified.refused("Access token lacks tid or appid.");
        if (!issuer(tid).equals(claims.getIssuer())) return Verified.refused("Access token validation failure. Invalid issuer.");
        Optional<App> app = directory.app(tid, appId);
        if (app.isEmpty()) return Verified.refused("Access token names an unknown tenant or application.");
        Object rolesClaim = claims.getClaim("roles");
        if (!(rolesClaim instanceof List<?> roles)) {
            return new Verified(new Authentication.Delegated(), expiry);
        }
        Set<Permission> permissions = EnumSet.noneOf(Permission.class);
        for (Object r : roles) Permission.parse(String.valueOf(r)).ifPresent(permissions::add);
        return new Verified(new Authentication.Accepted(new Principal(tid, appId, permissions)), expiry);
    }

    private static String stringClaim(JWTClaimsSet claims, String name) {
        Object v = claims.getClaim(name);
        return v instanceof String s ? s : null;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private record Verified(Authentication result, Instant expiry) {
        static Verified refused(String why) {
            return new Verified(new Authentication.Refused(why), Instant.MAX);
        }

        Authentication at(Instant now) {
            if (result instanceof Authentication.Refused) return result;
            return now.isAfter(expiry.plus(SKEW))
                    ? new Authentication.Refused("Lifetime validation failed, the token is expired.") : result;
        }
    }
}
