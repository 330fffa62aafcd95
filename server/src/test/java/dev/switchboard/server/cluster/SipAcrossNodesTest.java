package dev.switchboard.server.cluster;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.fixtures.Scrape;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A SIP caller rings node 1, the only node with a SIP listener; the bot's reject reaches node 2. The
 * reject is written by node 2, node 1 hears of it (LISTEN/NOTIFY) and, being the only node granted its
 * SIP leg's notifications, answers the INVITE 486. The caller is {@code sipp} running the interop
 * suite's busy scenario.
 */
class SipAcrossNodesTest {

    @TempDir
    Path dataDir;
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void aRejectAcceptedByAnotherNodeIsAnsweredOnTheSipLegsNode() throws Exception {
        Sipp.require("sipp");
        cluster = new Cluster(dataDir, Clock.system(), Duration.ofSeconds(15), Duration.ofSeconds(10));
        Switchboard one = cluster.start("node-1", Optional.of(0));
        int sipPort = one.sipPort().orElseThrow();
        Switchboard two = cluster.start("node-2", Optional.empty());

        Sipp caller = Sipp.call(Sipp.BUSY, 1, sipPort, dataDir);
        try {
            String botLeg = cluster.botEndpoint.awaitIncoming().callId();
            // the ringing call's INVITE transaction, on the node that holds its SIP leg only
            assertThat(Scrape.gauge(one.port(), "switchboard_sip_transactions")).isGreaterThanOrEqualTo(1);
            assertThat(Scrape.gauge(one.port(), "switchboard_sip_dialogs")).isGreaterThanOrEqualTo(0);
            assertThat(Scrape.metrics(two.port())).doesNotContain("switchboard_sip_transactions");
            HttpResponse<String> rejected = cluster.graph(two).reject(botLeg, cluster.token(cluster.bot),
                    "{\"reason\":\"busy\"}");
            assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(202);

            caller.assertPassed();
            assertThat(ClusterTest.awaitDeleted(cluster.botEndpoint, botLeg).result()).isEqualTo("486/0 Busy");
            // the node that holds the SIP leg sent the 486, and counts it
            await().untilAsserted(() -> assertThat(Scrape.metrics(one.port()))
                    .contains("switchboard_sip_final_response_seconds_count{status=\"486\"} 1"));
            // reported, not asserted: from node 2's commit of the reject to node 1 handing the 486 to its stack
            System.out.printf("reject written on node-2 -> 486 sent by node-1: %d ms%n", cluster.count(
                    "SELECT max(delivered_at - created_at) FROM outbox"
                            + " WHERE callback_uri = 'switchboard-sip://node-1' AND change_type = 'deleted'"));
        } finally {
            caller.stop();
        }
    }
}
