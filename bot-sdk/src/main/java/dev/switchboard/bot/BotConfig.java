package dev.switchboard.bot;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ExecutorService;

/**
 * How a {@link CallingBot} is set up, filled in by the lambda given to {@link CallingBot#create}. The
 * defaults are real Graph's; against Switchboard call {@link #useSwitchboard(String)}. Only the base
 * URL and the credentials differ between the two.
 *
 * <pre>{@code
 * CallingBot bot = CallingBot.create(config -> {
 *     config.appId = "…"; config.secret = "…"; config.tenantId = "…";
 *     config.useSwitchboard("http://localhost:8080");   // omit for real Graph
 *     config.decisionMargin = Duration.ofSeconds(3);
 *     config.onIncoming(call -> Decision.reject(RejectReason.BUSY));
 * });
 * }</pre>
 *
 * <p>Read once by {@code create}; changing it afterwards has no effect. Not thread-safe (it need not be).
 */
public final class BotConfig {

    /** The bot's application (client) id: the {@code aud} its notification tokens must carry. Required. */
    public String appId;
    /** The client secret, for client-credentials tokens. Required. */
    public String secret;
    /** The tenant the bot signs in to. Required. */
    public String tenantId;
    /** Where the calls API lives. */
    public String graphBaseUrl = "https://graph.microsoft.com/v1.0";
    /** Token endpoint base: the token URL is {@code {authority}/{tenantId}/oauth2/v2.0/token}. */
    public String authority = "https://login.microsoftonline.com";
    /** The client-credentials scope. Switchboard accepts Graph's too. */
    public String scope = "https://graph.microsoft.com/.default";
    /** The {@code iss} notification tokens must carry. */
    public String issuer = "https://api.botframework.com";
    /** The OpenID configuration whose {@code jwks_uri} holds the notification signing keys. */
    public String openIdConfigurationUrl = "https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration";
    /** Sent with {@code answer} as {@code callbackUri} when set (real Graph requires it). */
    public String callbackUri;
    /** How long the service waits for a decision (Graph: 15 s); set it to the server's when a test shortens it. */
    public Duration answerTimeout = Duration.ofSeconds(15);
    /** The deadline guard sends {@link #fallback} this long before the deadline if the handler has not decided. */
    public Duration decisionMargin = Duration.ofSeconds(2);
    /** Sent when the handler is too slow, throws or returns {@code null}. */
    public Decision fallback = Decision.reject(RejectReason.BUSY);
    /**
     * The most calls the bot holds at once. An answer that would exceed it is sent as
     * {@code reject(BUSY)} instead; the check and the count are one atomic step, so simultaneous
     * offers cannot all take the last place. Unlimited by default.
     */
    public int maxActiveCalls = Integer.MAX_VALUE;
    /** Tolerance for the issuer's clock in {@code exp}/{@code nbf}. */
    public Duration clockSkew = Duration.ofMinutes(1);
    /** At most one key-set refresh per this interval when a token names an unknown {@code kid}. */
    public Duration keyRefreshInterval = Duration.ofSeconds(10);
    /** Time as the bot sees it: deadlines, token expiry. Tests inject a manual clock. */
    public InstantSource clock = InstantSource.system();
    /** Runs handlers; {@code null}: a pool of daemon threads owned (and closed) by the bot. */
    public ExecutorService executor;

    CallHandler handler;
    BotListener listener = BotListener.NONE;

    /** Points the bot at a Switchboard server: its calls API, token endpoint and notification keys. */
    public BotConfig useSwitchboard(String baseUrl) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        graphBaseUrl = base + "/v1.0";
        authority = base;
        openIdConfigurationUrl = base + "/v1/.well-known/OpenIdConfiguration";
        return this;
    }

    /** The policy; required. */
    public BotConfig onIncoming(CallHandler handler) {
        this.handler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    public BotConfig listener(BotListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    public CallHandler handler() {
        return handler;
    }

    public BotListener listener() {
        return listener;
    }

    /** The token endpoint these settings name. */
    public String tokenUrl() {
        String a = authority.endsWith("/") ? authority.substring(0, authority.length() - 1) : authority;
        return a + "/" + tenantId + "/oauth2/v2.0/token";
    }

    void validate() {
        require(appId, "appId");
        require(secret, "secret");
        require(tenantId, "tenantId");
        require(graphBaseUrl, "graphBaseUrl");
        require(authority, "authority");
        require(issuer, "issuer");
        require(openIdConfigurationUrl, "openIdConfigurationUrl");
        if (handler == null) throw new IllegalArgumentException("config.onIncoming(...) is required");
        Objects.requireNonNull(fallback, "config.fallback");
        Objects.requireNonNull(clock, "config.clock");
        if (maxActiveCalls < 0) throw new IllegalArgumentException("config.maxActiveCalls must not be negative");
        if (decisionMargin.isNegative() || decisionMargin.compareTo(answerTimeout) >= 0) {
            throw new IllegalArgumentException("config.decisionMargin must be between 0 and answerTimeout");
        }
    }

    private static void require(String value, String name) {
        if (value == null || value.isBlank()) throw new IllegalArgumentException("config." + name + " is required");
    }
}
