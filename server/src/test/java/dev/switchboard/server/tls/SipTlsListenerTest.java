package dev.switchboard.server.tls;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** With {@code sip.tls} set, SIP is also served over TLS, presenting the https certificate. */
class SipTlsListenerTest {

    @TempDir
    Path dir;

    @Test
    void sipOverTlsPresentsTheHttpsCertificateAndAnswersOptions() throws Exception {
        SelfSignedIdentity identity = SelfSignedIdentity.create(dir);
        int tlsPort;
        try (ServerSocket free = new ServerSocket(0)) {
            tlsPort = free.getLocalPort();
        }
        SwitchboardConfig config = new SwitchboardConfig(
                new SwitchboardConfig.Http("127.0.0.1", 0, identity.tls()),
                dir.resolve("data"), null, null, List.of())
                .withSip(new SwitchboardConfig.Sip("127.0.0.1", 0, null, "node-1", List.of(), null,
                        new SwitchboardConfig.SipTlsEntry(tlsPort)));

        try (Switchboard sb = Switchboard.start(config, Clock.system())) {
            SSLContext ssl = identity.trustingClient();
            try (SSLSocket socket = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", tlsPort)) {
                socket.setSoTimeout(10_000);
                socket.startHandshake();
                assertThat(socket.getSession().getPeerCertificates()[0]).isEqualTo(identity.certificate());
                String options = "OPTIONS sip:switchboard@127.0.0.1:" + tlsPort + ";transport=tls SIP/2.0\r\n"
                        + "Via: SIP/2.0/TLS 127.0.0.1:5099;branch=z9hG4bK-tls-1\r\n"
                        + "Max-Forwards: 70\r\n"
                        + "From: <sip:probe@127.0.0.1>;tag=p1\r\n"
                        + "To: <sip:switchboard@127.0.0.1>\r\n"
                        + "Call-ID: tls-probe-1\r\n"
                        + "CSeq: 1 OPTIONS\r\n"
                        + "Content-Length: 0\r\n\r\n";
                socket.getOutputStream().write(options.getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).isEqualTo("SIP/2.0 200 OK");
            }
        }
    }
}
