package dev.switchboard.examples.reception;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DevSettingsTest {

    @Test
    void theDevTenantFileNamesTheBotAndMakesTheCallerAppAKnownCaller(@TempDir Path dir) throws Exception {
        Path yaml = Files.writeString(dir.resolve("dev.yaml"), """
                http: {host: 127.0.0.1, port: 8080}
                dataDir: .
                tenants:
                  - id: t-1
                    apps:
                      - {id: c-1, name: caller, secret: cs, callbackUri: "http://localhost:3979/api/calling"}
                      - {id: b-1, name: bot, secret: bs, callbackUri: "http://localhost:3978/api/calling"}
                """);

        DevSettings s = DevSettings.load(yaml, Map.of());

        assertThat(s).isEqualTo(new DevSettings("http://localhost:8080", "t-1", "b-1", "bs", "c-1", ""));
    }
}
