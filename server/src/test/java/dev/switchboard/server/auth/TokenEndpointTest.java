package dev.switchboard.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The client-credentials endpoint, its OAuth errors, and what the issued tokens say and are worth. */
class TokenEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TENANT = "tenant-1";

    @TempDir
    Path dir;
    private final ManualClock clock = new ManualClock(Instant.now());
    private final HttpClient http = HttpClient.newHttpClient();
    private Switchboard sb;

    @BeforeEach
    void start() {
        SwitchboardConfig config = new SwitchboardConfig(new SwitchboardConfig.Http("127.0.0.1", 0, null),
                dir, null, new SwitchboardConfig.Notifications(null, true, null),
                List.of(new SwitchboardConfig.Tenant(TENANT, List.of(
                        new SwitchboardConfig.AppEntry("bot", "Bot", "s3cret", "http://127.0.0.1:9/cb",
                                List.of("Calls.JoinGroupCall.All", "Calls.Initiate.All"))))));
        sb = Switchboard.start(config, clock);
    }

    @AfterEach
    void stop() {
        sb.close();
    }

    private HttpResponse<String> token(String tenant, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sb.baseUrl() + "/" + tenant + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String form(String clientId, String secret, String scope) {
        return "grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret + "&scope="
                + URLEncoder.encode(scope, StandardCharsets.UTF_8);
    }

    private HttpResponse<String> getCall(String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sb.baseUrl() + "/v1.0/communications/calls/none"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clientCredentialsGiveAnRs256TokenWithTenantAppAndRoles() throws Exception {
        HttpResponse<String> r = token(TENANT, form("bot", "s3cret", "https://graph.microsoft.com/.default"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.get("expires_in").asInt()).isPositive();
        SignedJWT jwt = SignedJWT.parse(body.get("access_token").asText());
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
        assertThat(jwt.getJWTClaimsSet().getStringClaim("tid")).isEqualTo(TENANT);
        assertThat(jwt.getJWTClaimsSet().getStringClaim("appid")).isEqualTo("bot");
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles"))
                .containsExactlyInAnyOrder("Calls.JoinGroupCall.All", "Calls.Initiate.All");

        JsonNode metadata = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create(sb.baseUrl() + "/" + TENANT
                + "/v2.0/.well-known/openid-configuration")).build(), HttpResponse.BodyHandlers.ofString()).body());
        assertThat(metadata.get("issuer").asText()).isEqualTo(jwt.getJWTClaimsSet().getIssuer());
        JWKSet keys = JWKSet.parse(http.send(HttpRequest.newBuilder(URI.create(metadata.get("jwks_uri").asText())).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertThat(jwt.verify(new RSASSAVerifier(keys.getKeyByKeyId(jwt.getHeader().getKeyID()).toRSAKey()))).isTrue();
        assertThat(keys.getKeys()).allMatch(k -> !k.isPrivate());
    }

    @Test
    void basicAuthenticationOfTheClientIsAccepted() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sb.baseUrl() + "/" + TENANT + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("bot:s3cret".getBytes()))
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope="
                        + URLEncoder.encode(sb.baseUrl() + "/.default", StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void badRequestsGetOAuthErrors() throws Exception {
        assertOAuthError(token(TENANT, form("bot", "wrong", "https://graph.microsoft.com/.default")), 401, "invalid_client");
        assertOAuthError(token(TENANT, form("nobody", "s3cret", "https://graph.microsoft.com/.default")), 401, "invalid_client");
        assertOAuthError(token("other-tenant", form("bot", "s3cret", "https://graph.microsoft.com/.default")), 400, "invalid_request");
        assertOAuthError(token(TENANT, form("bot", "s3cret", "https://graph.microsoft.com/Calls.Read")), 400, "invalid_scope");
        assertOAuthError(token(TENANT, form("bot", "s3cret", "https://elsewhere.example/.default")), 400, "invalid_scope");
        assertOAuthError(token(TENANT, "grant_type=password&client_id=bot&client_secret=s3cret"), 400, "unsupported_grant_type");
        assertOAuthError(token(TENANT, "client_id=bot&client_secret=s3cret"), 400, "invalid_request");
    }

    private static void assertOAuthError(HttpResponse<String> r, int status, String error) throws Exception {
        assertThat(r.statusCode()).isEqualTo(status);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.get("error").asText()).isEqualTo(error);
        assertThat(body.get("error_description").asText()).isNotBlank();
    }

    @Test
    void aTokenExpiresWithItsLifetimeAndSurvivesAKeyRotation() throws Exception {
        String token = JSON.readTree(token(TENANT, form("bot", "s3cret", sb.baseUrl() + "/.default")).body())
                .get("access_token").asText();
        assertThat(getCall(token).statusCode()).as("valid token, unknown call").isEqualTo(404);
        sb.rotateKeys();
        assertThat(getCall(token).statusCode()).as("old key still published after rotation").isEqualTo(404);
        String fresh = JSON.readTree(token(TENANT, form("bot", "s3cret", sb.baseUrl() + "/.default")).body())
                .get("access_token").asText();
        assertThat(SignedJWT.parse(fresh).getHeader().getKeyID()).isNotEqualTo(SignedJWT.parse(token).getHeader().getKeyID());
        assertThat(getCall(fresh).statusCode()).isEqualTo(404);
        clock.advance(Duration.ofHours(2));
        HttpResponse<String> expired = getCall(token);
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(expired.body()).at("/error/code").asText()).isEqualTo("InvalidAuthenticationToken");
    }
}
