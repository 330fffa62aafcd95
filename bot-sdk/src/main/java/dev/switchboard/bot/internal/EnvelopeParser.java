package dev.switchboard.bot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code commsNotifications} body as Graph and its look-alikes send it: {@code value} as an array
 * or a single object (or a bare notification without envelope), {@code resourceData} as an object or an
 * array, {@code @odata.type} with or without {@code #} or missing. Unknown members are kept.
 */
final class EnvelopeParser {

    private EnvelopeParser() {
    }

    /** @throws IllegalArgumentException naming what is wrong, when the body is not a notification */
    static List<Notification> parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new IllegalArgumentException("body is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) throw new IllegalArgumentException("body is not a JSON object");
        String type = Json.odataType(root);
        if (!type.isEmpty() && !type.equals("microsoft.graph.commsNotifications") && !type.equals("microsoft.graph.commsNotification")) {
            throw new IllegalArgumentException("@odata.type " + type + " is not a commsNotifications");
        }
        List<Notification> out = new ArrayList<>();
        JsonNode value = root.get("value");
        if (value == null) {
            if (!root.has("changeType")) throw new IllegalArgumentException("no value and no changeType");
            read(root, out);
        } else if (value.isArray()) {
            for (JsonNode n : value) read(n, out);
        } else if (value.isObject()) {
            read(value, out);
        } else {
            throw new IllegalArgumentException("value is neither an array nor an object");
        }
        return out;
    }

    private static void read(JsonNode n, List<Notification> out) {
        if (!n.isObject()) throw new IllegalArgumentException("a notification is not an object");
        String changeType = Json.text(n, "changeType");
        if (changeType.isEmpty()) throw new IllegalArgumentException("a notification has no changeType");
        String url = Json.text(n, "resourceUrl");
        if (url.isEmpty()) url = Json.text(n, "resource");
        JsonNode data = n.get("resourceData");
        if (data == null || data.isNull()) {
            out.add(new Notification(changeType, url, "", Json.MAPPER.createObjectNode()));
        } else if (data.isArray()) {
            for (JsonNode d : data) {
                if (d.isObject()) out.add(new Notification(changeType, url, Json.odataType(d), (ObjectNode) d));
            }
        } else if (data.isObject()) {
            out.add(new Notification(changeType, url, Json.odataType(data), (ObjectNode) data));
        } else {
            throw new IllegalArgumentException("resourceData is neither an object nor an array");
        }
    }
}
