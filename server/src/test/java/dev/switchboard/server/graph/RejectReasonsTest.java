package dev.switchboard.server.graph;

import com.microsoft.graph.communications.calls.item.reject.RejectPostRequestBody;
import com.microsoft.graph.models.Call;
import com.microsoft.graph.models.CallState;
import com.microsoft.graph.models.RejectReason;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.switchboard.server.fixtures.BotEndpoint;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.GraphClients;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.switchboard.server.graph.SdkCalls.p2pCallTo;
import static dev.switchboard.server.graph.SdkCalls.place;
import static dev.switchboard.server.graph.SdkCalls.reject;
import static org.assertj.core.api.Assertions.assertThat;

/** A bot built on the Graph Java SDK rejects a call placed by another SDK client. */
class RejectReasonsTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    private GraphServiceClient caller;
    private GraphServiceClient bot;

    @BeforeEach
    void clients() {
        caller = GraphClients.of(switchboard, switchboard.caller());
        bot = GraphClients.of(switchboard, switchboard.bot());
    }

    @ParameterizedTest(name = "rejecting as {0} ends both legs with {1}/{2} {3}")
    @CsvSource({
            "none, 603, 0, Declined",
            "busy, 486, 0, Busy",
            "forbidden, 403, 0, Forbidden"})
    void rejectingEndsBothLegsWithTheReasonsResultInfo(String reason, int code, int subcode, String message) {
        Call placed = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        assertThat(placed.getState()).isEqualTo(CallState.Establishing);

        Notification offer = switchboard.botEndpoint().awaitIncoming(placed.getCallChainId());
        String botCallId = offer.callId();
        reject(bot, botCallId, RejectReason.forValue(reason));
        switchboard.awaitAllDelivered();

        String expected = code + "/" + subcode + " " + message;
        assertThat(switchboard.botEndpoint().forCall(botCallId))
                .extracting(Notification::summary).containsExactly("created:incoming", "deleted:terminated");
        assertThat(switchboard.botEndpoint().forCall(botCallId).get(1).result()).isEqualTo(expected);
        assertThat(switchboard.callerEndpoint().forCall(placed.getId()))
                .extracting(Notification::summary, Notification::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("deleted:terminated", expected));
        assertThat(switchboard.botEndpoint().notifications()).hasSize(2);
        assertThat(switchboard.callerEndpoint().notifications()).hasSize(1);

        Call botLeg = bot.communications().calls().byCallId(botCallId).get();
        Call callerLeg = caller.communications().calls().byCallId(placed.getId()).get();
        for (Call leg : new Call[]{botLeg, callerLeg}) {
            assertThat(leg.getState()).isEqualTo(CallState.Terminated);
            assertThat(leg.getResultInfo().getCode()).isEqualTo(code);
            assertThat(leg.getResultInfo().getSubcode()).isEqualTo(subcode);
            assertThat(leg.getResultInfo().getMessage()).isEqualTo(message);
        }
    }

    @Test
    void aRejectWithCallbackUriSendsTheDeletedNotificationThereInsteadOfTheRegisteredCallback() {
        BotEndpoint elsewhere = switchboard.newEndpoint("elsewhere", switchboard.bot());
        Call placed = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        String botCallId = switchboard.botEndpoint().awaitIncoming(placed.getCallChainId()).callId();

        RejectPostRequestBody body = new RejectPostRequestBody();
        body.setReason(RejectReason.Busy);
        body.setCallbackUri(elsewhere.url());
        bot.communications().calls().byCallId(botCallId).reject().post(body);
        switchboard.awaitAllDelivered();

        assertThat(elsewhere.forCall(botCallId)).extracting(Notification::summary, Notification::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("deleted:terminated", "486/0 Busy"));
        assertThat(elsewhere.forCall(botCallId).get(0).resourceData().path("callbackUri").asText()).isEqualTo(elsewhere.url());
        assertThat(switchboard.botEndpoint().forCall(botCallId)).extracting(Notification::summary)
                .containsExactly("created:incoming");
        assertThat(switchboard.callerEndpoint().forCall(placed.getId())).extracting(Notification::result)
                .containsExactly("486/0 Busy");
    }
}
