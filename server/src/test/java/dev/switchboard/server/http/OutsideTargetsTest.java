package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;

import static dev.switchboard.server.http.GraphErrorAssert.assertGraphError;
import static org.assertj.core.api.Assertions.assertThat;

/** Phone numbers and SIP addresses as targets, on a server without SIP: refused precisely, nothing changes. */
class OutsideTargetsTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    private RawGraph graph;

    @BeforeEach
    void graph() {
        graph = new RawGraph(switchboard.baseUrl());
    }

    private static String targets(String... identities) {
        return "[" + String.join(",", identities) + "]";
    }

    private static String phone(String number) {
        return "{\"identity\":{\"phone\":{\"id\":\"" + number + "\"}}}";
    }

    @Test
    void aCallToAPhoneNumberWithoutATrunkIs400NamingTheMissingConfigurationAndPlacesNothing() {
        ObjectNode body = RawGraph.callTo(switchboard.bot().id(), switchboard.callerEndpoint().url());
        body.putArray("targets").addObject().putObject("identity").putObject("phone").put("id", "+4940555");

        HttpResponse<String> r = graph.postJson(RawGraph.CALLS, switchboard.token(switchboard.caller()), body.toString());

        String message = assertGraphError(r, 400, "invalidRequest");
        assertThat(message).contains("targets[0].identity", "sip.outbound");
        switchboard.awaitAllDelivered();
        assertThat(switchboard.callerEndpoint().notifications()).isEmpty();
        assertThat(switchboard.botEndpoint().notifications()).isEmpty();
    }

    @Test
    void aRedirectOfAnApiCallToAPhoneNumberWithoutATrunkIs409AndTheCallKeepsRinging() {
        OfferedCall call = OfferedCall.place(switchboard, graph);

        HttpResponse<String> r = graph.postJson(RawGraph.CALLS + "/" + call.botLegId() + "/redirect",
                switchboard.token(switchboard.bot()), "{\"targets\":" + targets(phone("+4940555")) + "}");

        assertThat(assertGraphError(r, 409, "notAllowed")).contains("sip.outbound");
        call.assertStillIncoming(switchboard, graph);
    }

    @Test
    void aRedirectMixingAnAppAndAPhoneNumberIs400() {
        OfferedCall call = OfferedCall.place(switchboard, graph);
        String app = "{\"identity\":{\"application\":{\"id\":\"" + switchboard.bot2().id() + "\"}}}";

        HttpResponse<String> r = graph.postJson(RawGraph.CALLS + "/" + call.botLegId() + "/redirect",
                switchboard.token(switchboard.bot()), "{\"targets\":" + targets(app, phone("+4940555")) + "}");

        assertThat(assertGraphError(r, 400, "invalidRequest")).contains("mix");
        call.assertStillIncoming(switchboard, graph);
    }

    @Test
    void aRedirectToAUserIs400NamingTheTarget() {
        OfferedCall call = OfferedCall.place(switchboard, graph);

        HttpResponse<String> r = graph.postJson(RawGraph.CALLS + "/" + call.botLegId() + "/redirect",
                switchboard.token(switchboard.bot()), "{\"targets\":[{\"identity\":{\"user\":{\"id\":\"u-1\"}}}]}");

        assertThat(assertGraphError(r, 400, "invalidRequest")).contains("targets[0].identity", "phone", "SIP");
        call.assertStillIncoming(switchboard, graph);
    }
}
