package dev.switchboard.api.http;

import dev.switchboard.core.ids.RandomIds;
import io.javalin.http.Context;

import java.util.Optional;

/** The {@code request-id} every response carries, and the {@code client-request-id} it echoes. */
public final class RequestIds {

    private static final String ATTRIBUTE = "switchboard.request-id";

    private RequestIds() {
    }

    /** Runs before every request. */
    public static void assign(Context ctx) {
        String id = RandomIds.uuid();
        ctx.attribute(ATTRIBUTE, id);
        ctx.header("request-id", id);
        clientRequestId(ctx).ifPresent(c -> ctx.header("client-request-id", c));
        String scenario = ctx.header("scenario-id");
        if (scenario != null) ctx.header("scenario-id", scenario);
    }

    public static String requestId(Context ctx) {
        String id = ctx.attribute(ATTRIBUTE);
        return id != null ? id : "";
    }

    public static Optional<String> clientRequestId(Context ctx) {
        return Optional.ofNullable(ctx.header("client-request-id")).filter(s -> !s.isBlank());
    }
}
