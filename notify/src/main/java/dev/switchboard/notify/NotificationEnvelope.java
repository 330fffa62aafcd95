package dev.switchboard.notify;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.store.PendingNotification;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The body Graph POSTs to a bot: a {@code commsNotifications} collection holding exactly one
 * notification, whose {@code resourceData} is the call as it was stored when the notification was
 * written. Thread-safe.
 */
public final class NotificationEnvelope {

    private static final ObjectMapper JSON = new ObjectMapper();

    private NotificationEnvelope() {
    }

    /**
     * Renders {@code notification} as UTF-8 JSON.
     *
     * @throws IllegalArgumentException if the stored {@code resourceData} is not a JSON object; a
     *                                  bot must never receive a half-valid body
     */
    public static byte[] render(PendingNotification notification) {
        String resourceData = objectText(notification.resourceData());
        String id = notification.callId();
        ByteArrayOutputStream out = new ByteArrayOutputStream(notification.resourceData().length() + 320);
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@odata.type", "#microsoft.graph.commsNotifications");
            g.writeArrayFieldStart("value");
            g.writeStartObject();
            g.writeStringField("@odata.type", "#microsoft.graph.commsNotification");
            g.writeStringField("changeType", notification.changeType().wireName());
            g.writeStringField("resourceUrl", "/communications/calls/" + id);
            g.writeStringField("resource", "/app/calls/" + id);
            g.writeFieldName("resourceData");
            g.writeRawValue(resourceData);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The stored resourceData was written by our own codec when the notification was committed, so it
     * is spliced in as it is rather than parsed and written again (the most frequent JSON work on the
     * delivery path); only its outline is checked, so a damaged row can never make half a body.
     */
    private static String objectText(String resourceData) {
        String text = resourceData.strip();
        if (text.length() < 2 || text.charAt(0) != '{' || text.charAt(text.length() - 1) != '}') {
            throw new IllegalArgumentException("resourceData is not a JSON object");
        }
        return text;
    }
}
