package dev.switchboard.server.graph;

import com.microsoft.graph.communications.calls.item.answer.AnswerPostRequestBody;
import com.microsoft.graph.models.Call;
import com.microsoft.graph.models.CallState;
import com.microsoft.graph.models.Modality;
import com.microsoft.graph.models.ServiceHostedMediaConfig;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.GraphClients;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.switchboard.server.graph.SdkCalls.p2pCallTo;
import static dev.switchboard.server.graph.SdkCalls.place;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** A bot answers through the SDK, then hangs up with DELETE; and a caller gives up while it rings. */
class AnswerAndHangupTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    @Test
    void answeringEstablishesBothSidesAndTheBotsDeleteEndsThemWith200And7000() {
        GraphServiceClient caller = GraphClients.of(switchboard, switchboard.caller());
        GraphServiceClient bot = GraphClients.of(switchboard, switchboard.bot());
        Call placed = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        String callId = switchboard.botEndpoint().awaitIncoming(placed.getCallChainId()).callId();

        AnswerPostRequestBody answer = new AnswerPostRequestBody();
        answer.setAcceptedModalities(List.of(Modality.Audio));
        answer.setMediaConfig(new ServiceHostedMediaConfig());
        answer.setCallbackUri(switchboard.botEndpoint().url());
        bot.communications().calls().byCallId(callId).answer().post(answer);
        switchboard.awaitAllDelivered();

        assertThat(switchboard.botEndpoint().forCall(callId)).extracting(Notification::summary)
                .containsExactly("created:incoming", "updated:establishing", "updated:established");
        assertThat(switchboard.callerEndpoint().forCall(placed.getId())).extracting(Notification::summary)
                .containsExactly("updated:established");
        assertThat(caller.communications().calls().byCallId(placed.getId()).get().getState()).isEqualTo(CallState.Established);

        bot.communications().calls().byCallId(callId).delete();
        switchboard.awaitAllDelivered();

        assertThat(switchboard.botEndpoint().forCall(callId)).extracting(Notification::summary, Notification::result)
                .containsExactly(
                        tuple("created:incoming", ""),
                        tuple("updated:establishing", ""),
                        tuple("updated:established", ""),
                        tuple("updated:terminating", ""),
                        tuple("deleted:terminated", "200/7000 The call was ended by the application."));
        assertThat(switchboard.callerEndpoint().forCall(placed.getId())).extracting(Notification::summary)
                .containsExactly("updated:established", "deleted:terminated");
        Call botLeg = bot.communications().calls().byCallId(callId).get();
        assertThat(botLeg.getState()).isEqualTo(CallState.Terminated);
        assertThat(botLeg.getResultInfo().getCode()).isEqualTo(200);
        assertThat(botLeg.getResultInfo().getSubcode()).isEqualTo(7000);
        assertThat(caller.communications().calls().byCallId(placed.getId()).get().getState()).isEqualTo(CallState.Terminated);
    }

    @Test
    void theCallersDeleteWhileTheCallRingsEndsTheBotsLegWith487() {
        GraphServiceClient caller = GraphClients.of(switchboard, switchboard.caller());
        GraphServiceClient bot = GraphClients.of(switchboard, switchboard.bot());
        Call placed = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        String callId = switchboard.botEndpoint().awaitIncoming(placed.getCallChainId()).callId();

        caller.communications().calls().byCallId(placed.getId()).delete();
        switchboard.awaitAllDelivered();

        assertThat(switchboard.botEndpoint().forCall(callId)).extracting(Notification::summary, Notification::result)
                .containsExactly(tuple("created:incoming", ""),
                        tuple("deleted:terminated", "487/0 The caller cancelled the call."));
        assertThat(switchboard.callerEndpoint().forCall(placed.getId())).extracting(Notification::summary)
                .containsExactly("updated:terminating", "deleted:terminated");
        Call botLeg = bot.communications().calls().byCallId(callId).get();
        assertThat(botLeg.getState()).isEqualTo(CallState.Terminated);
        assertThat(botLeg.getResultInfo().getCode()).isEqualTo(487);
    }
}
