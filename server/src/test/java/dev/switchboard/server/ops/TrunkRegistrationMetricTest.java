package dev.switchboard.server.ops;

import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.fixtures.RawTrunk;
import dev.switchboard.server.fixtures.Scrape;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sip.outbound.register} and {@code keepAlive} from the configuration to the wire and to
 * {@code /metrics}: the server registers with the trunk and asks it OPTIONS (a plain UDP socket answers
 * as a trunk would), reports {@code switchboard_sip_trunk_registered 1} and {@code switchboard_sip_trunk_up
 * 1}, and 0 for both once the trunk falls silent.
 */
class TrunkRegistrationMetricTest {

    private final RawTrunk trunk = new RawTrunk();

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard(config -> config.withSip(new SwitchboardConfig.Sip(
            "127.0.0.1", 0, null, null, List.of(),
            new SwitchboardConfig.SipOutboundEntry("sip:127.0.0.1:" + trunk.port(), "sip:+4930555@127.0.0.1",
                    null, null, null, true, Duration.ofMinutes(10), null, Duration.ofSeconds(20)), null)));

    @AfterEach
    void closeTrunk() {
        trunk.close();
    }

    @Test
    void theServerRegistersWithItsTrunkAsksItOptionsAndSaysWhetherItAnswers() throws Exception {
        assertThat(gauge("switchboard_sip_trunk_registered")).isZero();
        assertThat(gauge("switchboard_sip_trunk_up")).isZero();
        boolean registered = false;
        boolean asked = false;
        while (!registered || !asked) {  // the two come in either order
            RawTrunk.Received packet = trunk.receive();
            String request = packet.text();
            if (request.startsWith("REGISTER ")) {
                assertThat(request).startsWith("REGISTER sip:127.0.0.1:" + trunk.port() + " SIP/2.0\r\n");
                assertThat(request).contains("Contact: <sip:+4930555@127.0.0.1:"
                        + switchboard.server().sipPort().orElseThrow() + ">", "Expires: 600");
                trunk.ok(packet, ";expires=60");
                registered = true;
            } else if (request.startsWith("OPTIONS ")) {
                trunk.ok(packet, null);
                asked = true;
            }
        }
        await().until(() -> gauge("switchboard_sip_trunk_registered") == 1 && gauge("switchboard_sip_trunk_up") == 1);

        // the trunk falls silent: the OPTIONS at 20 s is still unanswered when the next is due at 40 s
        switchboard.clock().advance(Duration.ofSeconds(20));
        awaitRequest("CSeq: 2 OPTIONS");  // the second; copies of the first may still wait in the socket
        switchboard.clock().advance(Duration.ofSeconds(20));
        await().until(() -> gauge("switchboard_sip_trunk_up") == 0);
        assertThat(gauge("switchboard_sip_trunk_registered")).as("the binding holds until 60 s").isEqualTo(1);
        // and the refresh at 30 s went unanswered too: at 60 s the trunk has forgotten us
        switchboard.clock().advance(Duration.ofSeconds(21));
        await().until(() -> gauge("switchboard_sip_trunk_registered") == 0);
    }

    /** Reads what the server sends the trunk, unanswered, until a request with the header line {@code line}. */
    private void awaitRequest(String line) throws Exception {
        while (!trunk.receive().text().contains("\r\n" + line + "\r\n")) {
            // copies of what came before, and the other kind of request
        }
    }

    private double gauge(String name) throws Exception {
        return Scrape.gauge(switchboard.server().port(), name);
    }
}
