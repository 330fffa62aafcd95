package dev.switchboard.api.auth;

import dev.switchboard.core.apps.Permission;

import java.util.Set;

/** The app a request acts for, as its access token says. */
public record Principal(String tenantId, String appId, Set<Permission> roles) {

    public Principal {
        roles = Set.copyOf(roles);
    }

    public boolean may(Permission p) {
        return roles.contains(p);
    }
}
