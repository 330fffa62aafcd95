package dev.switchboard.bot.internal;

import dev.switchboard.bot.ActiveCalls;
import dev.switchboard.bot.BotConfig;
import dev.switchboard.bot.ClientCredentials;
import dev.switchboard.bot.EndpointResponse;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The machinery behind {@link dev.switchboard.bot.CallingBot}: checks and acknowledges each delivery at
 * once, then hands its notifications to one ordered event thread; offers go on to the {@link Decider}.
 * Not part of the public API.
 */
public final class BotEngine implements AutoCloseable {

    private final BotConfig config;
    private final InstantSource clock;
    private final TokenVerifier verifier;
    private final MessageIds messageIds = new MessageIds(10_000);
    private final CallTracker tracker;
    private final Decider decider;
    private final ExecutorService events = Executors.newSingleThreadExecutor(daemon("switchboard-bot-events"));
    private final ExecutorService senders = Executors.newCachedThreadPool(daemon("switchboard-bot-send"));
    private final ExecutorService handlers;
    private final boolean ownsHandlers;

    public BotEngine(BotConfig config) {
        this.config = config;
        this.clock = config.clock;
        this.verifier = new TokenVerifier(new KeyCache(config.openIdConfigurationUrl, config.keyRefreshInterval),
                config.appId, config.issuer, config.clockSkew, clock);
        this.ownsHandlers = config.executor == null;
        this.handlers = ownsHandlers ? Executors.newCachedThreadPool(daemon("switchboard-bot-handler")) : config.executor;
        this.tracker = new CallTracker(config.answerTimeout, clock, config.listener());
        ClientCredentials tokens = new ClientCredentials(config.tokenUrl(), config.appId, config.secret, config.scope, clock);
        DecisionSender sender = new DecisionSender(config.graphBaseUrl, tokens, config.callbackUri);
        this.decider = new Decider(config.handler(), config.fallback, config.decisionMargin, handlers, senders, clock,
                sender, config.listener(), tracker, config.maxActiveCalls);
        tracker.onOffer(decider::offer);
        senders.execute(() -> warmUp(tokens, sender));
    }

    /**
     * A warm start, off the caller's thread: the issuer's keys, a token and the Graph SDK's classes are
     * ready before the first call is offered. Failures are ignored (the server may not be up yet); the
     * first notification then does the same work.
     */
    private void warmUp(ClientCredentials tokens, DecisionSender sender) {
        verifier.warmUp();
        try {
            EnvelopeParser.parse("{\"value\":[{\"changeType\":\"updated\",\"resourceData\":{\"id\":\"warm-up\"}}]}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sender.warmUp();
            tokens.getAuthorizationToken(java.net.URI.create(config.graphBaseUrl), Map.of());
        } catch (RuntimeException e) {
            // nothing is lost: the first decision fetches its token itself
        }
    }

    public EndpointResponse handle(String method, Map<String, List<String>> headers, byte[] body) {
        Instant receivedAt = clock.instant();
        if (!"POST".equalsIgnoreCase(method)) return new EndpointResponse(405, "notifications are POSTed");
        TokenVerifier.Result token;
        try {
            token = verifier.verify(header(headers, "Authorization"));
        } catch (UncheckedIOException e) {
            return refused(503, "the issuer's keys cannot be read: " + e.getCause().getMessage());
        }
        if (!token.accepted()) return refused(401, token.problem());
        List<Notification> notifications;
        try {
            notifications = EnvelopeParser.parse(body == null ? new byte[0] : body);
        } catch (IllegalArgumentException e) {
            return refused(400, e.getMessage());
        }
        String messageId = header(headers, "X-Microsoft-Skype-Message-ID");
        if (!messageIds.firstTime(messageId)) {
            Listeners.safely(() -> config.listener().notificationRefused(202, "repeated message id " + messageId + ": skipped"));
            return new EndpointResponse(202, "");
        }
        String tenant = token.tenantId().orElseThrow();
        events.execute(() -> notifications.forEach(n -> tracker.accept(n, tenant, receivedAt)));
        return new EndpointResponse(202, "");
    }

    public ActiveCalls activeCalls() {
        return tracker;
    }

    private EndpointResponse refused(int status, String why) {
        Listeners.safely(() -> config.listener().notificationRefused(status, why));
        return new EndpointResponse(status, why);
    }

    private static String header(Map<String, List<String>> headers, String name) {
        if (headers == null) return null;
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey() != null && e.getKey().equalsIgnoreCase(name) && e.getValue() != null && !e.getValue().isEmpty()) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    @Override
    public void close() {
        decider.close();
        events.shutdownNow();
        senders.shutdownNow();
        if (ownsHandlers) handlers.shutdownNow();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
