package dev.switchboard.server.cluster;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.fixtures.RawTrunk;
import dev.switchboard.server.fixtures.Scrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Nodes that share a store and a trunk register the same address, each with its own Contact and its
 * own registration (Call-ID): one address of record, two bindings (RFC 3261 10.2.1.2), so the trunk
 * reaches whichever node is up. A node that stops removes its own binding only (Expires 0 on its own
 * Contact, never {@code *}), and the other node's stays.
 */
class TrunkRegistrationAcrossNodesTest {

    @TempDir
    Path dataDir;
    private final RawTrunk trunk = new RawTrunk();
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
        trunk.close();
    }

    @Test
    void eachNodeRegistersItsOwnContactAndRemovesOnlyThatOneWhenItStops() throws Exception {
        cluster = new Cluster(dataDir, Clock.system(), Duration.ofSeconds(15), Duration.ofSeconds(10));
        SwitchboardConfig.SipOutboundEntry outbound = new SwitchboardConfig.SipOutboundEntry(
                "sip:127.0.0.1:" + trunk.port(), "sip:+4930555@127.0.0.1", null, null, null, true,
                Duration.ofMinutes(10), null, null);
        Switchboard one = cluster.start("node-1", Optional.of(0), outbound);
        Switchboard two = cluster.start("node-2", Optional.of(0), outbound);
        String contactOne = "<sip:+4930555@127.0.0.1:" + one.sipPort().orElseThrow() + ">";
        String contactTwo = "<sip:+4930555@127.0.0.1:" + two.sipPort().orElseThrow() + ">";

        Map<String, String> registrations = new HashMap<>(); // Contact -> Call-ID
        while (registrations.size() < 2) {
            RawTrunk.Received request = trunk.receive();
            assertThat(request.text()).startsWith("REGISTER sip:127.0.0.1:" + trunk.port() + " SIP/2.0\r\n");
            assertThat(RawTrunk.header(request, "To")).isEqualTo("<sip:+4930555@127.0.0.1>");
            assertThat(RawTrunk.header(request, "Contact")).isIn(contactOne, contactTwo);
            registrations.put(RawTrunk.header(request, "Contact"), RawTrunk.header(request, "Call-ID"));
            trunk.ok(request, ";expires=600");
        }
        assertThat(registrations.get(contactOne)).isNotEqualTo(registrations.get(contactTwo));
        await().until(() -> Scrape.gauge(one.port(), "switchboard_sip_trunk_registered") == 1
                && Scrape.gauge(two.port(), "switchboard_sip_trunk_registered") == 1);

        one.close(); // waits up to 2 s for the trunk to answer its removal, which it reads only afterwards

        RawTrunk.Received removal = trunk.receive();
        while (!removal.text().contains("\r\nExpires: 0\r\n")) {
            removal = trunk.receive(); // a late copy of a REGISTER already answered
        }
        assertThat(RawTrunk.header(removal, "Contact")).isEqualTo(contactOne);
        assertThat(RawTrunk.header(removal, "Call-ID")).isEqualTo(registrations.get(contactOne));
        assertThat(Scrape.gauge(two.port(), "switchboard_sip_trunk_registered")).isEqualTo(1);
    }
}
