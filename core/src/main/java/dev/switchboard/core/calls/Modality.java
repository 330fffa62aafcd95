package dev.switchboard.core.calls;

import java.util.Optional;

/** A media modality a call asks for or accepts. */
public enum Modality {
    AUDIO("audio"),
    VIDEO("video"),
    VIDEO_BASED_SCREEN_SHARING("videoBasedScreenSharing"),
    DATA("data");

    private final String wireName;

    Modality(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<Modality> parse(String value) {
        for (Modality m : values()) {
            if (m.wireName.equalsIgnoreCase(value)) return Optional.of(m);
        }
        return Optional.empty();
    }
}
