package dev.switchboard.server.graph;

import com.microsoft.graph.communications.calls.item.redirect.RedirectPostRequestBody;
import com.microsoft.graph.models.Call;
import com.microsoft.graph.models.CallState;
import com.microsoft.graph.models.RejectReason;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.GraphClients;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static dev.switchboard.server.graph.SdkCalls.invitee;
import static dev.switchboard.server.graph.SdkCalls.p2pCallTo;
import static dev.switchboard.server.graph.SdkCalls.place;
import static dev.switchboard.server.graph.SdkCalls.reject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

/** A bot hands an incoming call to another bot through the SDK. */
class RedirectTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    @Test
    void aRedirectedCallIsOfferedToTheSecondBotWhoseRejectEndsTheCallersCall() {
        GraphServiceClient caller = GraphClients.of(switchboard, switchboard.caller());
        GraphServiceClient bot = GraphClients.of(switchboard, switchboard.bot());
        GraphServiceClient bot2 = GraphClients.of(switchboard, switchboard.bot2());
        Call placed = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        String firstLeg = switchboard.botEndpoint().awaitIncoming(placed.getCallChainId()).callId();

        RedirectPostRequestBody redirect = new RedirectPostRequestBody();
        redirect.setTargets(List.of(invitee(switchboard.bot2())));
        bot.communications().calls().byCallId(firstLeg).redirect().post(redirect);

        Notification offer = switchboard.bot2Endpoint().awaitIncoming(placed.getCallChainId());
        assertThat(offer.callId()).isNotEqualTo(firstLeg);
        assertThat(bot2.communications().calls().byCallId(offer.callId()).get().getState()).isEqualTo(CallState.Incoming);
        reject(bot2, offer.callId(), RejectReason.Busy);
        switchboard.awaitAllDelivered();

        assertThat(switchboard.botEndpoint().forCall(firstLeg)).extracting(Notification::summary)
                .containsExactly("created:incoming", "deleted:terminated");
        assertThat(switchboard.bot2Endpoint().forCall(offer.callId())).extracting(Notification::summary, Notification::result)
                .containsExactly(tuple("created:incoming", ""), tuple("deleted:terminated", "486/0 Busy"));
        assertThat(switchboard.callerEndpoint().forCall(placed.getId())).extracting(Notification::summary, Notification::result)
                .containsExactly(tuple("deleted:terminated", "486/0 Busy"));
        Call callerLeg = caller.communications().calls().byCallId(placed.getId()).get();
        assertThat(callerLeg.getState()).isEqualTo(CallState.Terminated);
        assertThat(callerLeg.getResultInfo().getCode()).isEqualTo(486);
    }
}
