package dev.switchboard.server.graph;

import com.microsoft.graph.models.Call;
import com.microsoft.graph.models.CallState;
import com.microsoft.graph.models.RejectReason;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.GraphClients;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static dev.switchboard.server.graph.SdkCalls.assertGraphError;
import static dev.switchboard.server.graph.SdkCalls.graphError;
import static dev.switchboard.server.graph.SdkCalls.p2pCallTo;
import static dev.switchboard.server.graph.SdkCalls.place;
import static dev.switchboard.server.graph.SdkCalls.reject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** The 15-second rule, with the clock moved instead of waited for. */
class TimeoutTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    @Test
    void aCallNobodyDecidesWithinFifteenSecondsEndsOnBothSidesWith408And8544AndALateRejectIsNotFound() {
        GraphServiceClient caller = GraphClients.of(switchboard, switchboard.caller());
        GraphServiceClient bot = GraphClients.of(switchboard, switchboard.bot());
        Call placed = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        String callId = switchboard.botEndpoint().awaitIncoming(placed.getCallChainId()).callId();

        switchboard.clock().advance(Duration.ofSeconds(14));
        switchboard.server().fireDueDeadlines();
        assertThat(bot.communications().calls().byCallId(callId).get().getState()).isEqualTo(CallState.Incoming);

        switchboard.clock().advance(Duration.ofSeconds(2));
        switchboard.server().fireDueDeadlines();
        switchboard.awaitAllDelivered();

        String timedOut = "408/8544 Callee could not be reached.";
        assertThat(switchboard.botEndpoint().forCall(callId)).extracting(Notification::summary, Notification::result)
                .containsExactly(tuple("created:incoming", ""), tuple("deleted:terminated", timedOut));
        assertThat(switchboard.callerEndpoint().forCall(placed.getId())).extracting(Notification::summary, Notification::result)
                .containsExactly(tuple("deleted:terminated", timedOut));

        ODataError late = graphError(() -> reject(bot, callId, RejectReason.Busy));
        assertGraphError(late, 404, "8522");
        Call botLeg = bot.communications().calls().byCallId(callId).get();
        assertThat(botLeg.getState()).isEqualTo(CallState.Terminated);
        assertThat(botLeg.getResultInfo().getCode()).isEqualTo(408);
        assertThat(botLeg.getResultInfo().getSubcode()).isEqualTo(8544);
    }

    @Test
    void aRejectAtTheDeadlineLosesToTheTimeoutEvenBeforeTheSweepHasRun() {
        GraphServiceClient caller = GraphClients.of(switchboard, switchboard.caller());
        GraphServiceClient bot = GraphClients.of(switchboard, switchboard.bot());
        Call placed = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        String callId = switchboard.botEndpoint().awaitIncoming(placed.getCallChainId()).callId();

        switchboard.clock().advance(Duration.ofSeconds(15));
        ODataError late = graphError(() -> reject(bot, callId, RejectReason.Busy));
        switchboard.server().fireDueDeadlines();
        switchboard.awaitAllDelivered();

        assertGraphError(late, 404, "8522");
        assertThat(switchboard.botEndpoint().forCall(callId)).extracting(Notification::result)
                .containsExactly("", "408/8544 Callee could not be reached.");
    }
}
