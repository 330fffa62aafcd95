package dev.switchboard.server.graph;

import com.microsoft.graph.communications.calls.item.answer.AnswerPostRequestBody;
import com.microsoft.graph.models.Call;
import com.microsoft.graph.models.CallState;
import com.microsoft.graph.models.Modality;
import com.microsoft.graph.models.RejectReason;
import com.microsoft.graph.models.ServiceHostedMediaConfig;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.GraphClients;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.UUID;

import static dev.switchboard.server.graph.SdkCalls.assertGraphError;
import static dev.switchboard.server.graph.SdkCalls.graphError;
import static dev.switchboard.server.graph.SdkCalls.p2pCallTo;
import static dev.switchboard.server.graph.SdkCalls.place;
import static dev.switchboard.server.graph.SdkCalls.reject;
import static org.assertj.core.api.Assertions.assertThat;

/** What a reject through the SDK gets when it cannot, or need not, act. */
class RejectRefusalsTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    private GraphServiceClient caller;
    private GraphServiceClient bot;

    @BeforeEach
    void clients() {
        caller = GraphClients.of(switchboard, switchboard.caller());
        bot = GraphClients.of(switchboard, switchboard.bot());
    }

    private String offeredToBot() {
        Call placed = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        return switchboard.botEndpoint().awaitIncoming(placed.getCallChainId()).callId();
    }

    @Test
    void aRejectRetriedWithTheSameReasonSucceedsWithoutASecondEffectAndAnotherReasonIsAConflict() {
        String callId = offeredToBot();

        reject(bot, callId, RejectReason.Busy);
        reject(bot, callId, RejectReason.Busy);
        ODataError conflict = graphError(() -> reject(bot, callId, RejectReason.Forbidden));
        switchboard.awaitAllDelivered();

        assertGraphError(conflict, 409, "notAllowed");
        assertThat(switchboard.botEndpoint().forCall(callId)).extracting(Notification::summary)
                .containsExactly("created:incoming", "deleted:terminated");
        assertThat(switchboard.callerEndpoint().notifications()).extracting(Notification::summary, Notification::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("deleted:terminated", "486/0 Busy"));
        assertThat(bot.communications().calls().byCallId(callId).get().getResultInfo().getCode()).isEqualTo(486);
    }

    @Test
    void rejectingAnAnsweredCallIsAConflictThatPointsToDelete() {
        String callId = offeredToBot();
        AnswerPostRequestBody answer = new AnswerPostRequestBody();
        answer.setAcceptedModalities(List.of(Modality.Audio));
        answer.setMediaConfig(new ServiceHostedMediaConfig());
        answer.setCallbackUri(switchboard.botEndpoint().url());
        bot.communications().calls().byCallId(callId).answer().post(answer);

        ODataError e = graphError(() -> reject(bot, callId, RejectReason.Busy));

        assertGraphError(e, 409, "notAllowed");
        assertThat(e.getError().getMessage()).contains("DELETE");
        assertThat(bot.communications().calls().byCallId(callId).get().getState()).isEqualTo(CallState.Established);
    }

    @Test
    void rejectingAnUnknownCallIsNotFound8522() {
        ODataError e = graphError(() -> reject(bot, UUID.randomUUID().toString(), RejectReason.Busy));

        assertGraphError(e, 404, "8522");
    }
}
