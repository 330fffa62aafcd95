package dev.switchboard.server.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.graph.models.Call;
import com.microsoft.graph.models.ChatInfo;
import com.microsoft.graph.models.Identity;
import com.microsoft.graph.models.IdentitySet;
import com.microsoft.graph.models.OrganizerMeetingInfo;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.GraphClients;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;
import java.util.UUID;

import static dev.switchboard.server.graph.SdkCalls.p2pCallTo;
import static dev.switchboard.server.graph.SdkCalls.place;
import static org.assertj.core.api.Assertions.assertThat;

/** An invitation to a group call carries the chat and the meeting to the invited bot. */
class GroupInvitationTest {

    private static final String THREAD = "19:meeting_NjkxZTZhNTgtZjBhMi00ZDFlLWJiMWMtNDFhOTdlYzE0YTFl@thread.v2";

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    @Test
    void theBotsOfferAndItsCallCarryChatInfoAndAnOrganizerMeetingInfo() {
        GraphServiceClient caller = GraphClients.of(switchboard, switchboard.caller());
        GraphServiceClient bot = GraphClients.of(switchboard, switchboard.bot());
        String organizerId = UUID.randomUUID().toString();
        Call invitation = p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url());
        ChatInfo chat = new ChatInfo();
        chat.setThreadId(THREAD);
        chat.setMessageId("0");
        invitation.setChatInfo(chat);
        Identity user = new Identity();
        user.setId(organizerId);
        user.setAdditionalData(Map.of("tenantId", switchboard.caller().tenantId()));
        IdentitySet organizer = new IdentitySet();
        organizer.setUser(user);
        OrganizerMeetingInfo meeting = new OrganizerMeetingInfo();
        meeting.setOrganizer(organizer);
        invitation.setMeetingInfo(meeting);

        Call placed = place(caller, invitation);
        Notification offer = switchboard.botEndpoint().awaitIncoming(placed.getCallChainId());

        JsonNode data = offer.resourceData();
        assertThat(data.path("chatInfo").path("threadId").asText()).isEqualTo(THREAD);
        assertThat(data.path("chatInfo").path("messageId").asText()).isEqualTo("0");
        assertThat(data.path("meetingInfo").path("@odata.type").asText()).isEqualTo("#microsoft.graph.organizerMeetingInfo");
        assertThat(data.path("meetingInfo").path("organizer").path("user").path("id").asText()).isEqualTo(organizerId);

        Call seen = bot.communications().calls().byCallId(offer.callId()).get();
        assertThat(seen.getChatInfo().getThreadId()).isEqualTo(THREAD);
        assertThat(seen.getChatInfo().getMessageId()).isEqualTo("0");
        assertThat(seen.getMeetingInfo()).isInstanceOf(OrganizerMeetingInfo.class);
        assertThat(((OrganizerMeetingInfo) seen.getMeetingInfo()).getOrganizer().getUser().getId()).isEqualTo(organizerId);
    }
}
