package dev.switchboard.bot;

import io.javalin.http.Handler;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The notification endpoint as a Javalin handler. Javalin is an optional dependency: add it yourself.
 *
 * <pre>{@code
 * Javalin.create(config -> config.routes.post("/api/calling", JavalinEndpoint.handler(bot))).start(3978);
 * }</pre>
 *
 * Same contract as {@link CallingBot#handle}. Thread-safe.
 */
public final class JavalinEndpoint {

    private JavalinEndpoint() {
    }

    public static Handler handler(CallingBot bot) {
        return ctx -> {
            Map<String, List<String>> headers = ctx.headerMap().entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()), (a, b) -> a));
            EndpointResponse r = bot.handle(ctx.method().name(), headers, ctx.bodyAsBytes());
            ctx.status(r.status()).result(r.body());
        };
    }
}
