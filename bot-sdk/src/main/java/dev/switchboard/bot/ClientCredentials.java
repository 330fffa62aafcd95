package dev.switchboard.bot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.kiota.authentication.AccessTokenProvider;
import com.microsoft.kiota.authentication.AllowedHostsValidator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;

/**
 * Application tokens by the OAuth2 client-credentials grant, as a kiota {@link AccessTokenProvider} for the
 * Graph SDK. Works against Entra ID ({@code https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token})
 * and Switchboard ({@code {base}/{tenant}/oauth2/v2.0/token}) alike.
 *
 * <pre>{@code
 * var tokens = new ClientCredentials("http://localhost:8080/" + tenantId + "/oauth2/v2.0/token",
 *         appId, secret, "https://graph.microsoft.com/.default", InstantSource.system());
 * var graph = new GraphServiceClient(new BaseBearerTokenAuthenticationProvider(tokens));
 * }</pre>
 *
 * <p>A token is reused until a minute before it expires (or half its lifetime, for short ones), then one
 * caller fetches a new one while the others wait. Thread-safe. A refused or failed request throws
 * {@link IllegalStateException} (with the endpoint's OAuth2 error) or {@link UncheckedIOException}; nothing
 * is cached then, so the next call tries again.
 */
public final class ClientCredentials implements AccessTokenProvider {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final URI tokenUrl;
    private final String clientId;
    private final String secret;
    private final String scope;
    private final InstantSource clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;
    private Instant renewAt = Instant.MIN;

    public ClientCredentials(String tokenUrl, String clientId, String secret, String scope, InstantSource clock) {
        this.tokenUrl = URI.create(Objects.requireNonNull(tokenUrl, "tokenUrl"));
        this.clientId = Objects.requireNonNull(clientId, "clientId");
        this.secret = Objects.requireNonNull(secret, "secret");
        this.scope = Objects.requireNonNull(scope, "scope");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized String getAuthorizationToken(URI uri, Map<String, Object> additionalAuthenticationContext) {
        Instant now = clock.instant();
        if (token == null || !now.isBefore(renewAt)) {
            JsonNode body = request();
            long seconds = body.path("expires_in").asLong(300);
            token = body.path("access_token").asText();
            long early = Math.min(60, seconds / 2);
            renewAt = now.plusSeconds(seconds - early);
        }
        return token;
    }

    /** Forgets the cached token (e.g. after a 401); the next request fetches a new one. */
    public synchronized void invalidate() {
        token = null;
    }

    @Override
    public AllowedHostsValidator getAllowedHostsValidator() {
        return new AllowedHostsValidator();
    }

    private JsonNode request() {
        String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(secret)
                + "&scope=" + enc(scope);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("token request to " + tokenUrl + " refused: " + r.statusCode() + " " + r.body());
            }
            JsonNode body = MAPPER.readTree(r.body());
            if (!body.hasNonNull("access_token")) throw new IllegalStateException("token response has no access_token");
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException("token request to " + tokenUrl + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching a token", e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
