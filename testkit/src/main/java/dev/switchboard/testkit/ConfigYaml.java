package dev.switchboard.testkit;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

/**
 * The test server's configuration in the documented YAML format, which {@code ConfigLoader} reads like any
 * operator's file: the public contract, sturdier than the configuration record's constructor.
 */
final class ConfigYaml {

    static final List<String> PERMISSIONS = List.of("Calls.Initiate.All", "Calls.InitiateGroupCall.All",
            "Calls.JoinGroupCall.All", "Calls.JoinGroupCallAsGuest.All", "Calls.AccessMedia.All");

    private ConfigYaml() {
    }

    /** dataDir is the directory the file is written to. */
    static String of(String tenant, Collection<TestApp> apps, Duration answerTimeout, String issuer) {
        StringBuilder y = new StringBuilder()
                .append("http:\n  host: 127.0.0.1\n  port: 0\n")
                .append("dataDir: .\n")
                .append("graph:\n  answerTimeout: ").append(answerTimeout.toMillis()).append("ms\n")
                .append("notifications:\n  issuer: ").append(quoted(issuer)).append("\n  allowInsecureLoopback: true\n")
                .append("tenants:\n  - id: ").append(quoted(tenant)).append("\n    apps:\n");
        for (TestApp a : apps) {
            y.append("      - id: ").append(quoted(a.id())).append('\n')
                    .append("        name: ").append(quoted(a.name())).append('\n')
                    .append("        secret: ").append(quoted(a.secret())).append('\n')
                    .append("        callbackUri: ").append(quoted(a.callbackUri())).append('\n')
                    .append("        permissions: [").append(String.join(", ", PERMISSIONS)).append("]\n");
        }
        return y.toString();
    }

    private static String quoted(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
