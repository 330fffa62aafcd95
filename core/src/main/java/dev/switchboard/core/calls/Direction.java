package dev.switchboard.core.calls;

/** Whether a call leg was offered to its owner (incoming) or placed by it (outgoing). */
public enum Direction {
    INCOMING("incoming"),
    OUTGOING("outgoing");

    private final String wireName;

    Direction(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Direction fromWire(String value) {
        for (Direction d : values()) {
            if (d.wireName.equals(value)) return d;
        }
        throw new IllegalArgumentException("unknown direction: " + value);
    }
}
