package dev.switchboard.bot;

import com.sun.net.httpserver.HttpHandler;
import dev.switchboard.bot.internal.BotEngine;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A calling bot: receives Graph call notifications, verifies them, and answers, rejects or redirects each
 * incoming call as its {@link CallHandler} decides — against Switchboard or real Graph alike.
 *
 * <pre>{@code
 * CallingBot bot = CallingBot.create(config -> {
 *     config.appId = appId; config.secret = secret; config.tenantId = tenantId;
 *     config.useSwitchboard("http://localhost:8080");
 *     config.onIncoming(call -> Decision.reject(RejectReason.BUSY));
 * });
 * HttpServer server = HttpServer.create(new InetSocketAddress(3978), 0);
 * server.createContext("/api/calling", bot.httpHandler());
 * server.start();
 * }</pre>
 *
 * <p><b>Contract.</b> Each delivery is checked (bearer JWT: RS256 by a key of the issuer's OpenID
 * configuration, {@code aud} = app id, {@code iss}, {@code tid}, expiry) and answered at once: 202, or
 * 401/400/405/503 with the reason. Redeliveries (same {@code X-Microsoft-Skype-Message-ID}) are
 * acknowledged and skipped. Decisions are made after the acknowledgement on an executor, never inside
 * the 5 s delivery window; if the handler has not decided {@link BotConfig#decisionMargin} before the
 * 15 s deadline, {@link BotConfig#fallback} is sent and a later decision is dropped. Outcomes go to the
 * {@link BotListener}.
 *
 * <p><b>Threads.</b> Thread-safe: mount it in any number of server threads. It owns daemon threads until
 * {@link #close()}.
 */
public final class CallingBot implements AutoCloseable {

    private final BotEngine engine;
    private final String appId;

    private CallingBot(BotConfig config) {
        this.engine = new BotEngine(config);
        this.appId = config.appId;
    }

    /**
     * A bot configured by {@code setup}; it does nothing until a notification is handed to it.
     *
     * @throws IllegalArgumentException naming the missing or bad setting
     */
    public static CallingBot create(Consumer<BotConfig> setup) {
        BotConfig config = new BotConfig();
        setup.accept(config);
        config.validate();
        return new CallingBot(config);
    }

    /**
     * The notification endpoint as a plain function, for any HTTP server: hand it the request's method,
     * headers (any key casing) and body, and send back the status and body it returns. Fast: it never
     * runs the handler.
     */
    public EndpointResponse handle(String method, Map<String, List<String>> headers, byte[] body) {
        return engine.handle(method, headers, body);
    }

    /** The endpoint for the JDK's {@code com.sun.net.httpserver.HttpServer}. */
    public HttpHandler httpHandler() {
        return exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                EndpointResponse r = handle(exchange.getRequestMethod(), exchange.getRequestHeaders(), body);
                byte[] out = r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                if (out.length > 0) exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(r.status(), out.length == 0 ? -1 : out.length);
                if (out.length > 0) exchange.getResponseBody().write(out);
            }
        };
    }

    /** The calls this bot holds now (answered, not yet terminated). */
    public ActiveCalls activeCalls() {
        return engine.activeCalls();
    }

    public String appId() {
        return appId;
    }

    /** Stops the bot's threads; pending decisions are not sent. Idempotent. */
    @Override
    public void close() {
        engine.close();
    }
}
