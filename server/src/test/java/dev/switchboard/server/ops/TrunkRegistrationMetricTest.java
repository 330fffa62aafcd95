package dev.switchboard.server.ops;

import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sip.outbound.register: true} from the configuration to the wire and to {@code /metrics}: the
 * server registers with the trunk (a plain UDP socket that answers as a registrar would), reports
 * {@code switchboard_sip_trunk_registered 1}, and 0 once the binding ran out unrefreshed.
 */
class TrunkRegistrationMetricTest {

    private final DatagramSocket registrar = registrar();

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard(config -> config.withSip(new SwitchboardConfig.Sip(
            "127.0.0.1", 0, null, null, List.of(),
            new SwitchboardConfig.SipOutboundEntry("sip:127.0.0.1:" + registrar.getLocalPort(), "sip:+4930555@127.0.0.1",
                    null, null, null, true, Duration.ofMinutes(10), null), null)));

    private static DatagramSocket registrar() {
        try {
            DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
            socket.setSoTimeout(10_000);
            return socket;
        } catch (SocketException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void closeRegistrar() {
        registrar.close();
    }

    @Test
    void theServerRegistersWithItsTrunkAndSaysWhetherTheTrunkHoldsTheBinding() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[16_384], 16_384);
        registrar.receive(packet);
        String register = new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
        assertThat(register).startsWith("REGISTER sip:127.0.0.1:" + registrar.getLocalPort() + " SIP/2.0\r\n");
        assertThat(register).contains("Contact: <sip:+4930555@127.0.0.1:" + switchboard.server().sipPort().orElseThrow() + ">",
                "Expires: 600");
        assertThat(gauge()).isZero();

        byte[] ok = ok(register, 60).getBytes(StandardCharsets.UTF_8);
        registrar.send(new DatagramPacket(ok, ok.length, packet.getSocketAddress()));
        await().until(() -> gauge() == 1);

        // the refresh at 30 s goes unanswered: at 60 s the trunk has forgotten us
        switchboard.clock().advance(Duration.ofSeconds(61));
        await().until(() -> gauge() == 0);
    }

    /** A registrar's 200 to {@code register}: its Via, From, Call-ID and CSeq, To with a tag, the Contact granted. */
    private static String ok(String register, int seconds) {
        List<String> lines = register.lines().toList();
        String kept = lines.stream().filter(l -> l.startsWith("Via:") || l.startsWith("From:") || l.startsWith("Call-ID:")
                || l.startsWith("CSeq:")).collect(Collectors.joining("\r\n"));
        String to = lines.stream().filter(l -> l.startsWith("To:")).findFirst().orElseThrow();
        String contact = lines.stream().filter(l -> l.startsWith("Contact:")).findFirst().orElseThrow();
        return "SIP/2.0 200 OK\r\n" + kept + "\r\n" + to + ";tag=registrar\r\n" + contact + ";expires=" + seconds
                + "\r\nContent-Length: 0\r\n\r\n";
    }

    private double gauge() throws Exception {
        String name = "switchboard_sip_trunk_registered";
        String scrape = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + switchboard.server().port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return scrape.lines().filter(l -> l.startsWith(name + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(name.length() + 1)))
                .orElseThrow(() -> new AssertionError("no " + name + " in /metrics"));
    }
}
