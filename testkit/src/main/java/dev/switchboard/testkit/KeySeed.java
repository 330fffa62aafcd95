package dev.switchboard.testkit;

import dev.switchboard.server.keys.KeyRing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Generating RSA keys is most of a server start: every test server of a JVM starts from copies of one
 * pair of key files made once (each still has its own tenant, apps and store).
 */
final class KeySeed {

    private static final List<String> FILES = List.of("api-signing.jwks", "notification-signing.jwks");
    private static Path template;

    private KeySeed() {
    }

    static void into(Path dataDir) throws IOException {
        Path keys = Files.createDirectories(dataDir.resolve("keys"));
        Path from = template();
        for (String file : FILES) Files.copy(from.resolve(file), keys.resolve(file));
    }

    private static synchronized Path template() throws IOException {
        if (template == null) {
            Path dir = Files.createTempDirectory("switchboard-testkit-keys");
            for (String file : FILES) KeyRing.open(dir.resolve(file));
            dir.toFile().deleteOnExit();
            for (String file : FILES) dir.resolve(file).toFile().deleteOnExit();
            template = dir;
        }
        return template;
    }
}
