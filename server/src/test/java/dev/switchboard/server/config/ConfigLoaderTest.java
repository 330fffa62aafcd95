package dev.switchboard.server.config;

import dev.switchboard.sip.SipOutbound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private Path write(String yaml) throws IOException {
        Path f = dir.resolve("switchboard.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    private static final String APPS = """
            tenants:
              - id: t1
                apps:
                  - id: bot
                    name: Bot
                    secret: s3cret
                    callbackUri: https://bot.example.com/api/calling
                    permissions: [Calls.JoinGroupCall.All]
            """;

    @Test
    void aFullFileIsReadWithDefaultsForWhatItLeavesOut() throws IOException {
        SwitchboardConfig c = ConfigLoader.load(write("""
                http:
                  port: 9090
                dataDir: store
                graph:
                  answerTimeout: 500ms
                """ + APPS));
        assertThat(c.http().port()).isEqualTo(9090);
        assertThat(c.http().host()).isEqualTo("127.0.0.1");
        assertThat(c.dataDir()).isEqualTo(dir.resolve("store"));
        assertThat(c.graph().answerTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(c.notifications().issuer()).isEqualTo("https://api.botframework.com");
        assertThat(c.notifications().allowInsecureLoopback()).isFalse();
        assertThat(c.tenants().get(0).apps().get(0).permissions()).containsExactly("Calls.JoinGroupCall.All");
    }

    @Test
    void theNodeIsNamedByNodeIdOrByTheOlderSipNodeIdAndTwoDifferentNamesAreRefused() throws IOException {
        assertThat(ConfigLoader.load(write(APPS)).node()).isEqualTo(
                new SwitchboardConfig.Node("node-1", Duration.ofSeconds(10)));
        assertThat(ConfigLoader.load(write("node:\n  id: node-2\n  deliveryLease: 3s\n" + APPS)).node())
                .isEqualTo(new SwitchboardConfig.Node("node-2", Duration.ofSeconds(3)));
        assertThat(ConfigLoader.load(write("sip:\n  nodeId: bench\n" + APPS)).node().id()).isEqualTo("bench");
        assertThatThrownBy(() -> ConfigLoader.load(write("node:\n  id: a\nsip:\n  nodeId: b\n" + APPS)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'sip.nodeId'");
        assertThatThrownBy(() -> ConfigLoader.load(write("node:\n  id: 'no spaces'\n" + APPS)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'node.id'");
        assertThatThrownBy(() -> ConfigLoader.load(write("node:\n  deliveryLease: 10ms\n" + APPS)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("'node.deliveryLease'");
    }

    @Test
    void theAnswerTimeoutDefaultsToFifteenSeconds() throws IOException {
        assertThat(ConfigLoader.load(write(APPS)).graph().answerTimeout()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void aRateLimitIsReadWithItsBurstDefaultingToOneSecondsWorthAndBadOnesAreNamed() throws IOException {
        assertThat(ConfigLoader.load(write(APPS)).graph().limit()).isEmpty();
        assertThat(ConfigLoader.load(write("graph:\n  rateLimit:\n    requestsPerSecond: 2.5\n" + APPS)).graph().limit())
                .hasValue(new SwitchboardConfig.RateLimit(2.5, 3));
        assertThat(ConfigLoader.load(write("graph:\n  rateLimit: {requestsPerSecond: 50, burst: 200}\n" + APPS))
                .graph().limit()).hasValue(new SwitchboardConfig.RateLimit(50.0, 200));
        assertThatThrownBy(() -> ConfigLoader.load(write("graph:\n  rateLimit: {requestsPerSecond: 0}\n" + APPS)))
                .hasMessageContaining("'graph.rateLimit.requestsPerSecond'");
        assertThatThrownBy(() -> ConfigLoader.load(write("graph:\n  rateLimit: {burst: 5}\n" + APPS)))
                .hasMessageContaining("'graph.rateLimit.requestsPerSecond'");
        assertThatThrownBy(() -> ConfigLoader.load(write("graph:\n  rateLimit: {requestsPerSecond: 5, burst: 0}\n" + APPS)))
                .hasMessageContaining("'graph.rateLimit.burst'");
    }

    @Test
    void anUnknownKeyStopsStartUpNamingTheKey() throws IOException {
        Path f = write("http:\n  prot: 8080\n" + APPS);
        assertThatThrownBy(() -> ConfigLoader.load(f)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown key 'http.prot'");
    }

    @Test
    void anUnknownKeyDeepInATenantIsNamedWithItsIndex() throws IOException {
        Path f = write(APPS.replace("name: Bot", "name: Bot\n        colour: blue"));
        assertThatThrownBy(() -> ConfigLoader.load(f)).hasMessageContaining("'tenants[0].apps[0].colour'");
    }

    @Test
    void badValuesAreNamed() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(write("http:\n  port: eighty\n" + APPS)))
                .hasMessageContaining("'http.port'");
        assertThatThrownBy(() -> ConfigLoader.load(write("http:\n  port: 70000\n" + APPS)))
                .hasMessageContaining("'http.port'");
        assertThatThrownBy(() -> ConfigLoader.load(write("graph:\n  answerTimeout: soon\n" + APPS)))
                .hasMessageContaining("'graph.answerTimeout'");
        assertThatThrownBy(() -> ConfigLoader.load(write("graph:\n  baseUrl: not a url\n" + APPS)))
                .hasMessageContaining("'graph.baseUrl'");
        assertThatThrownBy(() -> ConfigLoader.load(write(APPS.replace("Calls.JoinGroupCall.All", "Calls.Everything"))))
                .hasMessageContaining("'tenants[0].apps[0].permissions[0]'");
        assertThatThrownBy(() -> ConfigLoader.load(write(APPS.replace("secret: s3cret", "secret: ''"))))
                .hasMessageContaining("'tenants[0].apps[0].secret'");
        assertThatThrownBy(() -> ConfigLoader.load(write("http:\n  tls:\n    certificate: missing.pem\n    privateKey: missing.key\n" + APPS)))
                .hasMessageContaining("'http.tls.certificate'");
    }

    @Test
    void theSipTrunkAndGroupHeadersAreReadAndBadOnesNamed() throws IOException {
        String sip = """
                sip:
                  port: 5070
                  routes:
                    - {match: "sip:conf@*", tenant: t1, app: bot, groupHeaders: {threadId: X-Conf-Thread}}
                  outbound:
                    proxy: "sip:trunk.example.com:5080;transport=tcp"
                """;
        SwitchboardConfig c = ConfigLoader.load(write(sip + APPS));
        assertThat(c.sipSettings().orElseThrow().outbound().proxy()).isEqualTo("sip:trunk.example.com:5080;transport=tcp");
        assertThat(c.sipSettings().orElseThrow().routes().get(0).groupHeaders()).containsEntry("threadId", "X-Conf-Thread");
        assertThat(c.sipSettings().orElseThrow().outbound().trunk().ringing()).isEqualTo(Duration.ofSeconds(60));
        SwitchboardConfig longer = ConfigLoader.load(write(sip + "    ringingTimeout: 90s\n" + APPS));
        assertThat(longer.sipSettings().orElseThrow().outbound().trunk().ringing()).isEqualTo(Duration.ofSeconds(90));
        assertThatThrownBy(() -> ConfigLoader.load(write(sip + "    ringingTimeout: 0s\n" + APPS)))
                .hasMessageContaining("'sip.outbound.ringingTimeout'").hasMessageContaining("positive");
        SwitchboardConfig login = ConfigLoader.load(write(sip + "    username: bot-line\n    password: s3cret\n" + APPS));
        assertThat(login.sipSettings().orElseThrow().outbound().trunk().login())
                .contains(new SipOutbound.TrunkLogin("bot-line", "s3cret"));
        assertThat(login.sipSettings().orElseThrow().outbound().toString()).doesNotContain("s3cret");
        assertThat(login.sipSettings().orElseThrow().outbound().trunk().toString()).doesNotContain("s3cret");
        assertThat(c.sipSettings().orElseThrow().outbound().trunk().register()).as("not unless asked").isEmpty();
        SwitchboardConfig registering = ConfigLoader.load(write(sip + "    register: true\n" + APPS));
        assertThat(registering.sipSettings().orElseThrow().outbound().trunk().register()).contains(Duration.ofHours(1));
        SwitchboardConfig shorter = ConfigLoader.load(write(sip + "    register: true\n    registerExpires: 10m\n" + APPS));
        assertThat(shorter.sipSettings().orElseThrow().outbound().trunk().register()).contains(Duration.ofMinutes(10));
        assertThatThrownBy(() -> ConfigLoader.load(write(sip + "    register: true\n    registerExpires: 0s\n" + APPS)))
                .hasMessageContaining("'sip.outbound.registerExpires'");
        SwitchboardConfig probing = ConfigLoader.load(write(sip + "    keepAlive: 30s\n" + APPS));
        assertThat(probing.sipSettings().orElseThrow().outbound().trunk().keepAlive()).contains(Duration.ofSeconds(30));
        assertThat(c.sipSettings().orElseThrow().outbound().trunk().keepAlive()).isEmpty();
        assertThatThrownBy(() -> ConfigLoader.load(write(sip + "    keepAlive: 0s\n" + APPS)))
                .hasMessageContaining("'sip.outbound.keepAlive'");
        assertThatThrownBy(() -> ConfigLoader.load(write(sip + "    register: sometimes\n" + APPS)))
                .hasMessageContaining("'sip.outbound.register'");
        assertThatThrownBy(() -> ConfigLoader.load(write(sip.replace("transport=tcp", "transport=tls") + APPS)))
                .hasMessageContaining("'sip.tls'").hasMessageContaining("TLS");
        assertThatThrownBy(() -> ConfigLoader.load(write(sip + "    trustedCertificates: no-such.pem\n" + APPS)))
                .hasMessageContaining("'sip.outbound.trustedCertificates'").hasMessageContaining("no-such.pem");
        assertThatThrownBy(() -> ConfigLoader.load(write(sip + "    username: bot-line\n" + APPS)))
                .hasMessageContaining("'sip.outbound.password'");
        assertThatThrownBy(() -> ConfigLoader.load(write(sip + "    password: s3cret\n" + APPS)))
                .hasMessageContaining("'sip.outbound.username'");

        assertThatThrownBy(() -> ConfigLoader.load(write(sip.replace("proxy:", "proxi:") + APPS)))
                .hasMessageContaining("'sip.outbound.proxi'");
        assertThatThrownBy(() -> ConfigLoader.load(write(sip.replace("sip:trunk.example.com:5080;transport=tcp", "trunk") + APPS)))
                .hasMessageContaining("'sip.outbound.proxy'");
        assertThatThrownBy(() -> ConfigLoader.load(write(sip.replace("transport=tcp", "transport=sctp") + APPS)))
                .hasMessageContaining("'sip.outbound.proxy'").hasMessageContaining("udp, tcp or tls");
        SwitchboardConfig allowing = ConfigLoader.load(write(sip.replace("  port: 5070\n",
                "  port: 5070\n  allowFrom: [\"203.0.113.0/24\", \"2001:db8::1\"]\n") + APPS));
        assertThat(allowing.sipSettings().orElseThrow().sources()).extracting(Object::toString)
                .containsExactly("203.0.113.0/24", "2001:db8:0:0:0:0:0:1/128");
        assertThatThrownBy(() -> ConfigLoader.load(write(sip.replace("  port: 5070\n",
                "  port: 5070\n  allowFrom: [\"203.0.113.0/24\", trunk.example.com]\n") + APPS)))
                .hasMessageContaining("'sip.allowFrom[1]'").hasMessageContaining("trunk.example.com");
        assertThatThrownBy(() -> ConfigLoader.load(write(sip.replace("threadId:", "thread:") + APPS)))
                .hasMessageContaining("'sip.routes[0].groupHeaders'");
        assertThatThrownBy(() -> ConfigLoader.load(write(sip + "  tls: {port: 5061}\n" + APPS)))
                .hasMessageContaining("'http.tls'").hasMessageContaining("sip.tls");
    }

    @Test
    void anHttpCallbackIsRefusedUnlessLoopbackIsAllowed() throws IOException {
        String loopback = APPS.replace("https://bot.example.com/api/calling", "http://localhost:3978/api/calling");
        assertThatThrownBy(() -> ConfigLoader.load(write(loopback)))
                .hasMessageContaining("'tenants[0].apps[0].callbackUri'");
        assertThat(ConfigLoader.load(write("notifications:\n  allowInsecureLoopback: true\n" + loopback)).tenants())
                .hasSize(1);
        String remote = APPS.replace("https://bot.example.com/api/calling", "http://bot.example.com/api/calling");
        assertThatThrownBy(() -> ConfigLoader.load(write("notifications:\n  allowInsecureLoopback: true\n" + remote)))
                .hasMessageContaining("'tenants[0].apps[0].callbackUri'");
    }

    @Test
    void duplicateAppIdsAreRefused() throws IOException {
        String twice = APPS + """
                      - id: bot
                        secret: other
                """;
        assertThatThrownBy(() -> ConfigLoader.load(write(twice))).hasMessageContaining("'tenants[0].apps[1].id'");
    }

    @Test
    void aWrittenConfigurationReadsBackTheSame() throws IOException {
        SwitchboardConfig c = ConfigLoader.load(write("graph:\n  answerTimeout: 2s\n" + APPS));
        Path copy = dir.resolve("copy/switchboard.yaml");
        ConfigLoader.write(c.withDataDir(Path.of(".")), copy);
        SwitchboardConfig back = ConfigLoader.load(copy);
        assertThat(back.tenants()).isEqualTo(c.tenants());
        assertThat(back.graph()).isEqualTo(c.graph());
        assertThat(back.dataDir()).isEqualTo(copy.getParent());
    }
}
