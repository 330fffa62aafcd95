package dev.switchboard.server.graph;

import com.microsoft.graph.communications.calls.item.answer.AnswerPostRequestBody;
import com.microsoft.graph.models.Call;
import com.microsoft.graph.models.Modality;
import com.microsoft.graph.models.RejectReason;
import com.microsoft.graph.models.ServiceHostedMediaConfig;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.switchboard.server.fixtures.GraphClients;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static dev.switchboard.server.graph.SdkCalls.assertGraphError;
import static dev.switchboard.server.graph.SdkCalls.graphError;
import static dev.switchboard.server.graph.SdkCalls.p2pCallTo;
import static dev.switchboard.server.graph.SdkCalls.place;
import static dev.switchboard.server.graph.SdkCalls.reject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The server forgets what ended a week ago ({@code store.retention}'s default), and only that. */
class RetentionTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    @Test
    void aRejectedCallIsGoneAWeekLaterAndAnAnsweredOneStays() {
        GraphServiceClient caller = GraphClients.of(switchboard, switchboard.caller());
        GraphServiceClient bot = GraphClients.of(switchboard, switchboard.bot());
        Call rejected = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        String rejectedLeg = switchboard.botEndpoint().awaitIncoming(rejected.getCallChainId()).callId();
        reject(bot, rejectedLeg, RejectReason.Busy);
        Call answered = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        String answeredLeg = switchboard.botEndpoint().awaitIncoming(answered.getCallChainId()).callId();
        AnswerPostRequestBody answer = new AnswerPostRequestBody();
        answer.setAcceptedModalities(List.of(Modality.Audio));
        answer.setMediaConfig(new ServiceHostedMediaConfig());
        answer.setCallbackUri(switchboard.botEndpoint().url());
        bot.communications().calls().byCallId(answeredLeg).answer().post(answer);
        switchboard.awaitAllDelivered();

        // the running server's next sweep is due by its clock: it forgets both legs of the rejected call
        switchboard.clock().advance(Duration.ofDays(7).plusMinutes(1));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(switchboard.server().store().find(rejected.getId())).isEmpty();
            assertThat(switchboard.server().store().find(rejectedLeg)).isEmpty();
        });
        assertThat(switchboard.server().store().timeline(rejectedLeg)).isEmpty();
        switchboard.forgetTokens(); // an hour's token, a week ago
        GraphServiceClient botAgain = GraphClients.of(switchboard, switchboard.bot());
        assertGraphError(graphError(() -> botAgain.communications().calls().byCallId(rejectedLeg).get()), 404, "8522");
        assertThat(botAgain.communications().calls().byCallId(answeredLeg).get().getState())
                .isEqualTo(com.microsoft.graph.models.CallState.Established);
        assertThat(switchboard.server().store().find(answered.getId())).isPresent();
        assertThat(switchboard.server().store().find(answeredLeg)).isPresent();
    }
}
