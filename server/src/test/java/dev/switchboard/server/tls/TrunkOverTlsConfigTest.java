package dev.switchboard.server.tls;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sip.outbound} over TLS from the configuration to the wire: the server trusts the trunk's
 * self-signed certificate through {@code trustedCertificates}, connects to it over TLS to register
 * (the first thing it sends), and presents nothing the trunk asked for.
 */
class TrunkOverTlsConfigTest {

    @TempDir
    Path dir;

    @Test
    void aTrunkWhoseCertificateIsTrustedByConfigurationIsReachedOverTls() throws Exception {
        SelfSignedIdentity ours = SelfSignedIdentity.create(Files.createDirectories(dir.resolve("ours")));
        SelfSignedIdentity trunks = SelfSignedIdentity.create(Files.createDirectories(dir.resolve("trunk")));
        try (SSLServerSocket trunk = (SSLServerSocket) PemTls.serverContext(trunks.certificatePem(), trunks.privateKeyPem())
                .getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            trunk.setSoTimeout(20_000);
            SwitchboardConfig config = new SwitchboardConfig(
                    new SwitchboardConfig.Http("127.0.0.1", 0, ours.tls()), dir.resolve("data"), null, null, List.of())
                    .withSip(new SwitchboardConfig.Sip("127.0.0.1", 0, null, "node-1", List.of(),
                            new SwitchboardConfig.SipOutboundEntry("sip:127.0.0.1:" + trunk.getLocalPort() + ";transport=tls",
                                    null, null, null, null, true, Duration.ofMinutes(10), trunks.certificatePem(), null),
                            new SwitchboardConfig.SipTlsEntry(0)));

            try (Switchboard sb = Switchboard.start(config, Clock.system());
                 SSLSocket connection = (SSLSocket) trunk.accept()) {
                connection.setSoTimeout(20_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("REGISTER sip:127.0.0.1:" + trunk.getLocalPort() + ";transport=tls SIP/2.0");
                assertThat(connection.getSession().getProtocol()).startsWith("TLS");
            }
        }
    }
}
