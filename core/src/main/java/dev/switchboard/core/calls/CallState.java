package dev.switchboard.core.calls;

/** The Graph {@code callState} values a Switchboard call moves through. */
public enum CallState {
    INCOMING("incoming"),
    ESTABLISHING("establishing"),
    ESTABLISHED("established"),
    TERMINATING("terminating"),
    TERMINATED("terminated");

    private final String wireName;

    CallState(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public boolean isActive() {
        return this != TERMINATED;
    }

    public static CallState fromWire(String value) {
        for (CallState s : values()) {
            if (s.wireName.equals(value)) return s;
        }
        throw new IllegalArgumentException("unknown call state: " + value);
    }
}
