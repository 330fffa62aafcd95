package dev.switchboard.core.calls;

import java.util.Optional;

/** The members of a Graph {@code identitySet}. */
public enum IdentityKind {
    APPLICATION("application"),
    APPLICATION_INSTANCE("applicationInstance"),
    USER("user"),
    PHONE("phone"),
    GUEST("guest"),
    ENCRYPTED("encrypted");

    private final String wireName;

    IdentityKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<IdentityKind> parse(String value) {
        for (IdentityKind k : values()) {
            if (k.wireName.equals(value)) return Optional.of(k);
        }
        return Optional.empty();
    }
}
