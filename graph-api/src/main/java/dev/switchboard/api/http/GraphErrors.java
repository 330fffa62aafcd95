package dev.switchboard.api.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Writes every non-2xx answer of the Graph surface in Graph's error shape. */
public final class GraphErrors {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    private GraphErrors() {
    }

    /** With {@code Retry-After} when the error says how long to wait (503, 429). */
    public static void write(Context ctx, GraphException e) {
        // whole seconds, rounded up: a client that waits what it is told is let through
        e.retryAfter().ifPresent(wait -> ctx.header("Retry-After",
                Long.toString(Math.max(1, (wait.toMillis() + 999) / 1000))));
        write(ctx, e.status(), e.code(), e.getMessage());
    }

    public static void write(Context ctx, int status, String code, String message) {
        ObjectNode body = MAPPER.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", code);
        error.put("message", message);
        ObjectNode inner = error.putObject("innerError");
        // Graph writes the date without an offset
        inner.put("date", LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DATE));
        inner.put("request-id", RequestIds.requestId(ctx));
        inner.put("client-request-id", RequestIds.clientRequestId(ctx).orElse(RequestIds.requestId(ctx)));
        ctx.status(status).contentType("application/json").result(body.toString());
    }
}
