package dev.switchboard.core.calls;

import java.util.Optional;

/** One identity of a party: an app, a user, a phone number... */
public record Identity(IdentityKind kind, String id, Optional<String> displayName, Optional<String> tenantId) {

    public Identity {
        if (kind == null || id == null) throw new IllegalArgumentException("kind and id are required");
    }

    public static Identity application(String appId, String displayName, String tenantId) {
        return new Identity(IdentityKind.APPLICATION, appId, Optional.ofNullable(displayName), Optional.ofNullable(tenantId));
    }
}
