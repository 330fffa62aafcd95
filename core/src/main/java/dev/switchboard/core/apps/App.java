package dev.switchboard.core.apps;

import java.util.Optional;
import java.util.Set;

/** A registered application: a bot, or an app that places calls. */
public record App(String tenantId, String id, String name, String secret, Optional<String> callbackUri,
                  Set<Permission> permissions) {

    public App {
        permissions = Set.copyOf(permissions);
    }

    public boolean may(Permission p) {
        return permissions.contains(p);
    }
}
