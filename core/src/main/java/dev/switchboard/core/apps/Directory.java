package dev.switchboard.core.apps;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The tenants and apps this server knows, fixed at start-up. */
public final class Directory {

    private final Map<String, App> byKey;

    public Directory(Collection<App> apps) {
        this.byKey = apps.stream().collect(Collectors.toUnmodifiableMap(a -> key(a.tenantId(), a.id()),
                Function.identity()));
    }

    public Optional<App> app(String tenantId, String appId) {
        return Optional.ofNullable(byKey.get(key(tenantId, appId)));
    }

    public boolean hasTenant(String tenantId) {
        return byKey.values().stream().anyMatch(a -> a.tenantId().equals(tenantId));
    }

    public List<App> apps() {
        return List.copyOf(byKey.values());
    }

    private static String key(String tenant, String app) {
        return tenant + '/' + app;
    }
}
