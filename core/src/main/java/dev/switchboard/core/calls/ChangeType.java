package dev.switchboard.core.calls;

/** The {@code changeType} of a Graph comms notification. */
public enum ChangeType {
    CREATED("created"),
    UPDATED("updated"),
    DELETED("deleted");

    private final String wireName;

    ChangeType(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ChangeType fromWire(String value) {
        for (ChangeType c : values()) {
            if (c.wireName.equals(value)) return c;
        }
        throw new IllegalArgumentException("unknown change type: " + value);
    }
}
