package dev.switchboard.json;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code @odata.type} handling: written with a leading '#', read with or without one, or absent. */
final class ODataTypes {

    static final String KEY = "@odata.type";

    private ODataTypes() {
    }

    static String of(String name) {
        return "#microsoft.graph." + name;
    }

    /** The bare type name ("organizerMeetingInfo") of a node, or "" when it carries none. */
    static String nameOf(JsonNode node) {
        JsonNode t = node.get(KEY);
        if (t == null || !t.isTextual()) return "";
        String v = t.asText();
        if (v.startsWith("#")) v = v.substring(1);
        return v.startsWith("microsoft.graph.") ? v.substring("microsoft.graph.".length()) : v;
    }
}
