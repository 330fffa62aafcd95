package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.fixtures.BotEndpoint;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.RawTrunk;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bot redirects a call another app placed to a phone number, on a server with a SIP trunk: the call
 * goes on through the trunk (an INVITE on the wire), and the app's call waits for its answer.
 */
class TrunkRedirectTest {

    private final RawTrunk trunk = new RawTrunk();

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard(config -> config.withSip(new SwitchboardConfig.Sip(
            "127.0.0.1", 0, null, null, List.of(),
            new SwitchboardConfig.SipOutboundEntry("sip:127.0.0.1:" + trunk.port() + ";transport=udp", null), null)));

    @AfterEach
    void closeTrunk() {
        trunk.close();
    }

    @Test
    void aRedirectOfAnApiCallToAPhoneNumberGoesThroughTheTrunkAndTheCallerKeepsWaiting() throws Exception {
        RawGraph graph = new RawGraph(switchboard.baseUrl());
        OfferedCall call = OfferedCall.place(switchboard, graph);

        HttpResponse<String> r = graph.postJson(RawGraph.CALLS + "/" + call.botLegId() + "/redirect",
                switchboard.token(switchboard.bot()), "{\"targets\":[{\"identity\":{\"phone\":{\"id\":\"+4940555\"}}}]}");

        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String invite = trunk.receive().text();
        assertThat(invite).startsWith("INVITE sip:+4940555@127.0.0.1:" + trunk.port() + ";user=phone SIP/2.0\r\n");
        BotEndpoint.Notification redirected = switchboard.botEndpoint().awaitFirst(
                n -> n.callId().equals(call.botLegId()) && n.changeType().equals("deleted"));
        assertThat(redirected.result()).startsWith("302/0");
        JsonNode caller = graph.call(call.callerLegId(), switchboard.token(switchboard.caller()));
        assertThat(caller.path("state").asText()).isEqualTo("establishing");
    }
}
