package dev.switchboard.core.apps;

import java.util.Optional;

/** The application permissions (token {@code roles}) the calls API checks. */
public enum Permission {
    CALLS_INITIATE("Calls.Initiate.All"),
    CALLS_INITIATE_GROUP_CALL("Calls.InitiateGroupCall.All"),
    CALLS_JOIN_GROUP_CALL("Calls.JoinGroupCall.All"),
    CALLS_JOIN_GROUP_CALL_AS_GUEST("Calls.JoinGroupCallAsGuest.All"),
    CALLS_ACCESS_MEDIA("Calls.AccessMedia.All");

    private final String role;

    Permission(String role) {
        this.role = role;
    }

    public String role() {
        return role;
    }

    public static Optional<Permission> parse(String role) {
        for (Permission p : values()) {
            if (p.role.equals(role)) return Optional.of(p);
        }
        return Optional.empty();
    }
}
