package dev.switchboard.api.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.api.http.RequestIds;
import io.javalin.http.Context;

import java.time.Instant;

/** Token endpoint failures in the OAuth 2.0 shape (RFC 6749 §5.2) with Entra ID's extra fields. */
final class OAuthErrors {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OAuthErrors() {
    }

    static void write(Context ctx, int status, String error, String description) {
        ObjectNode body = MAPPER.createObjectNode();
        body.put("error", error);
        body.put("error_description", description);
        body.put("timestamp", Instant.now().toString());
        body.put("trace_id", RequestIds.requestId(ctx));
        body.put("correlation_id", RequestIds.clientRequestId(ctx).orElse(RequestIds.requestId(ctx)));
        ctx.status(status).contentType("application/json").result(body.toString());
    }
}
