package dev.switchboard.server.cli;

import dev.switchboard.core.apps.Permission;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.SwitchboardConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The development tenant of {@code serve --dev}: a caller app and a bot app with every calls
 * permission, kept in {@code dataDir/dev.yaml} so ids and secrets survive restarts and the other
 * commands can use the same file.
 */
final class DevTenant {

    static final String CALLER = "caller";
    static final String BOT = "bot";

    private DevTenant() {
    }

    static SwitchboardConfig loadOrCreate(Path dataDir, int port, String botCallback, String callerCallback) throws IOException {
        Path file = dataDir.resolve("dev.yaml");
        if (Files.exists(file)) return ConfigLoader.load(file);
        List<String> all = Arrays.stream(Permission.values()).map(Permission::role).toList();
        SwitchboardConfig.Tenant tenant = new SwitchboardConfig.Tenant(UUID.randomUUID().toString(), List.of(
                new SwitchboardConfig.AppEntry(UUID.randomUUID().toString(), CALLER, secret(), callerCallback, all),
                new SwitchboardConfig.AppEntry(UUID.randomUUID().toString(), BOT, secret(), botCallback, all)));
        SwitchboardConfig config = new SwitchboardConfig(new SwitchboardConfig.Http("127.0.0.1", port, null),
                Path.of("."), null, new SwitchboardConfig.Notifications(null, true, null), List.of(tenant));
        ConfigLoader.write(config, file);
        return ConfigLoader.load(file);
    }

    static SwitchboardConfig.AppEntry app(SwitchboardConfig config, String name) {
        return config.tenants().get(0).apps().stream().filter(a -> name.equals(a.name())).findFirst().orElseThrow();
    }

    private static String secret() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
