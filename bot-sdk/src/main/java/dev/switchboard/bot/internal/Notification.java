package dev.switchboard.bot.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One {@code commsNotification} about one resource, as parsed from an envelope.
 *
 * @param resourceType the resource's {@code @odata.type} without {@code #}; "" when the payload names none
 */
record Notification(String changeType, String resourceUrl, String resourceType, ObjectNode resourceData) {

    /** Whether it is about a call (by its type, or, when untyped, by its URL). */
    boolean isCall() {
        if (!resourceType.isEmpty()) return resourceType.equals("microsoft.graph.call");
        return resourceUrl.matches(".*/calls/[^/]+/?$") || resourceData.has("state");
    }

    String callId() {
        String id = Json.text(resourceData, "id");
        if (!id.isEmpty()) return id;
        int slash = resourceUrl.lastIndexOf('/');
        return slash >= 0 ? resourceUrl.substring(slash + 1) : resourceUrl;
    }

    String state() {
        return Json.text(resourceData, "state");
    }
}
