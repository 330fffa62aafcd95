package dev.switchboard.api.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.apps.App;
import dev.switchboard.core.apps.Directory;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The identity-provider side: the client-credentials token endpoint, and the OpenID documents and
 * key sets that let anyone check our access tokens and our notification tokens.
 */
public final class IdentityRoutes {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String DEFAULT_SCOPE_SUFFIX = "/.default";

    private final AccessTokens tokens;
    private final Directory directory;
    private final KeySource apiKeys;
    private final KeySource notificationKeys;
    private final String baseUrl;
    private final String notificationIssuer;

    public IdentityRoutes(AccessTokens tokens, Directory directory, KeySource apiKeys, KeySource notificationKeys,
                          String baseUrl, String notificationIssuer) {
        this.tokens = tokens;
        this.directory = directory;
        this.apiKeys = apiKeys;
        this.notificationKeys = notificationKeys;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.notificationIssuer = notificationIssuer;
    }

    public void register(RoutesConfig routes) {
        routes.post("/{tenant}/oauth2/v2.0/token", this::token);
        routes.get("/{tenant}/v2.0/.well-known/openid-configuration", this::apiMetadata);
        routes.get("/{tenant}/discovery/v2.0/keys", ctx -> json(ctx, apiKeys.published().toJSONObject(true)));
        routes.get("/v1/.well-known/OpenIdConfiguration", this::notificationMetadata);
        routes.get("/v1/.well-known/keys", ctx -> json(ctx, notificationKeys.published().toJSONObject(true)));
    }

    private void token(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        if (!directory.hasTenant(tenant)) {
            OAuthErrors.write(ctx, 400, "invalid_request", "AADSTS90002: Tenant '" + tenant + "' not found.");
            return;
        }
        String grant = ctx.formParam("grant_type");
        if (grant == null) {
            OAuthErrors.write(ctx, 400, "invalid_request", "AADSTS900144: The request body must contain the parameter 'grant_type'.");
            return;
        }
        if (!grant.equals("client_credentials")) {
            OAuthErrors.write(ctx, 400, "unsupported_grant_type", "AADSTS70003: Only client_credentials is supported.");
            return;
        }
        Optional<String[]> credentials = basicCredentials(ctx);
        String clientId = credentials.map(c -> c[0]).orElse(ctx.formParam("client_id"));
        String secret = credentials.map(c -> c[1]).orElse(ctx.formParam("client_secret"));
        if (clientId == null || secret == null) {
            OAuthErrors.write(ctx, 400, "invalid_request", "AADSTS900144: The request body must contain client_id and client_secret.");
            return;
        }
        Optional<App> app = directory.app(tenant, clientId);
        if (app.isEmpty() || !sameSecret(app.get().secret(), secret)) {
            OAuthErrors.write(ctx, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided, or unknown client '" + clientId + "'.");
            return;
        }
        String scope = ctx.formParam("scope");
        if (scope == null || scope.isBlank()) {
            OAuthErrors.write(ctx, 400, "invalid_request", "AADSTS900144: The request body must contain the parameter 'scope'.");
            return;
        }
        String first = scope.trim().split("\\s+")[0];
        if (!first.endsWith(DEFAULT_SCOPE_SUFFIX)) {
            OAuthErrors.write(ctx, 400, "invalid_scope", "AADSTS1002012: The scope '" + scope
                    + "' is not valid; client credentials take '<resource>/.default'.");
            return;
        }
        String audience = first.substring(0, first.length() - DEFAULT_SCOPE_SUFFIX.length());
        if (!tokens.isKnownAudience(audience)) {
            OAuthErrors.write(ctx, 400, "invalid_scope", "AADSTS500011: The resource '" + audience + "' is not served here.");
            return;
        }
        ObjectNode body = MAPPER.createObjectNode();
        body.put("token_type", "Bearer");
        body.put("expires_in", tokens.lifetimeSeconds() - 1);
        body.put("ext_expires_in", tokens.lifetimeSeconds() - 1);
        body.put("access_token", tokens.issue(app.get(), audience));
        ctx.header("Cache-Control", "no-store");
        ctx.contentType("application/json").result(body.toString());
    }

    private void apiMetadata(Context ctx) {
        String tenant = ctx.pathParam("tenant");
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("issuer", tokens.issuer(tenant));
        doc.put("token_endpoint", baseUrl + "/" + tenant + "/oauth2/v2.0/token");
        doc.put("jwks_uri", baseUrl + "/" + tenant + "/discovery/v2.0/keys");
        doc.putArray("token_endpoint_auth_methods_supported").add("client_secret_post").add("client_secret_basic");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.putArray("grant_types_supported").add("client_credentials");
        doc.put("tenant_region_scope", "WW");
        ctx.contentType("application/json").result(doc.toString());
    }

    private void notificationMetadata(Context ctx) {
        ObjectNode doc = MAPPER.createObjectNode();
        doc.put("issuer", notificationIssuer);
        doc.put("jwks_uri", baseUrl + "/v1/.well-known/keys");
        doc.putArray("id_token_signing_alg_values_supported").add("RS256");
        doc.putArray("token_endpoint_auth_methods_supported").add("private_key_jwt");
        ctx.contentType("application/json").result(doc.toString());
    }

    private static void json(Context ctx, java.util.Map<String, Object> map) {
        try {
            ctx.contentType("application/json").result(MAPPER.writeValueAsString(map));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<String[]> basicCredentials(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) return Optional.empty();
        try {
            String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            return colon < 0 ? Optional.empty()
                    : Optional.of(new String[]{decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean sameSecret(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }
}
