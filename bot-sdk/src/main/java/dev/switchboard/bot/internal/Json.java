package dev.switchboard.bot.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;

/** The one JSON mapper of the SDK, and conversions to plain Java values for the public API. */
final class Json {

    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private Json() {
    }

    static Map<String, Object> toMap(JsonNode node) {
        return node == null || !node.isObject() ? Map.of() : MAPPER.convertValue(node, MAP);
    }

    /** A member's text, or "" when absent or not text. */
    static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isValueNode() && !v.isNull() ? v.asText() : "";
    }

    /** An {@code @odata.type} without its leading {@code #}; "" when absent. */
    static String odataType(JsonNode node) {
        String t = text(node, "@odata.type");
        return t.startsWith("#") ? t.substring(1) : t;
    }
}
