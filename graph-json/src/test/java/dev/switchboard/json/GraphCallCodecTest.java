package dev.switchboard.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.ChatInfo;
import dev.switchboard.core.calls.Direction;
import dev.switchboard.core.calls.Ending;
import dev.switchboard.core.calls.GroupInvitation;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.MeetingInfo;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.RejectReason;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphCallCodecTest {

    private final GraphCallCodec codec = new GraphCallCodec();
    private final ObjectMapper mapper = new ObjectMapper();
    private final Instant t0 = Instant.parse("2026-11-26T17:00:00Z");

    private Call groupInvitation(CallState state, Optional<Ending> ending) {
        Party caller = new Party(IdentitySet.of(Identity.application("app-a", "Caller", "t1")), Optional.of("p-1"));
        Party bot = Party.of(IdentitySet.of(new Identity(IdentityKind.APPLICATION_INSTANCE, "app-b",
                Optional.empty(), Optional.of("t1"))));
        GroupInvitation inv = new GroupInvitation(
                new ChatInfo("19:meeting@thread.v2", Optional.of("0"), Optional.empty()),
                new MeetingInfo.Organizer(IdentitySet.of(new Identity(IdentityKind.USER, "u-1",
                        Optional.of("Org"), Optional.of("t1")))));
        return new Call("c-1", "t1", "app-b", Direction.INCOMING, state, 3, "https://bot.example/cb", caller,
                List.of(bot), List.of(Modality.AUDIO), Optional.of(inv), "chain-1", "p-2",
                state == CallState.INCOMING ? Optional.of(t0.plusSeconds(15)) : Optional.empty(), ending, t0,
                t0.plusSeconds(1));
    }

    @Test
    void encodedCallDecodesToAnEqualCall() {
        Call ringing = groupInvitation(CallState.INCOMING, Optional.empty());
        Call rejected = groupInvitation(CallState.TERMINATED, Optional.of(new Ending.Rejected(RejectReason.BUSY)));
        assertThat(codec.decode(codec.encode(ringing))).isEqualTo(ringing);
        assertThat(codec.decode(codec.encode(rejected))).isEqualTo(rejected);
    }

    @Test
    void resourceDataIsGraphShapedWithTypesAndResultInfo() throws Exception {
        Call rejected = groupInvitation(CallState.TERMINATED, Optional.of(new Ending.Rejected(RejectReason.BUSY)));
        JsonNode n = mapper.readTree(codec.resourceData(rejected));
        assertThat(n.get("@odata.type").asText()).isEqualTo("#microsoft.graph.call");
        assertThat(n.get("state").asText()).isEqualTo("terminated");
        assertThat(n.get("resultInfo").get("code").isInt()).isTrue();
        assertThat(n.get("resultInfo").get("code").asInt()).isEqualTo(486);
        assertThat(n.get("source").get("id").asText()).isEqualTo("p-1");
        assertThat(n.get("source").get("identity").get("application").get("identityProvider").asText()).isEqualTo("AAD");
        assertThat(n.get("chatInfo").get("threadId").asText()).isEqualTo("19:meeting@thread.v2");
        assertThat(n.get("meetingInfo").get("@odata.type").asText()).isEqualTo("#microsoft.graph.organizerMeetingInfo");
        assertThat(n.has("switchboard")).as("internal fields stay internal").isFalse();
    }

    @Test
    void meetingInfoIsReadWithOrWithoutTypeOrHash() throws Exception {
        for (String type : List.of("\"@odata.type\":\"#microsoft.graph.joinMeetingIdMeetingInfo\",",
                "\"@odata.type\":\"microsoft.graph.joinMeetingIdMeetingInfo\",", "")) {
            JsonNode body = mapper.readTree("{\"chatInfo\":{\"threadId\":\"19:x\"},\"meetingInfo\":{" + type
                    + "\"joinMeetingId\":\"123 456\",\"passcode\":\"abc\"}}");
            assertThat(CallReader.invitation(body).orElseThrow().meetingInfo())
                    .isEqualTo(new MeetingInfo.JoinMeetingId("123 456", Optional.of("abc")));
        }
    }

    @Test
    void badShapesNameTheField() throws Exception {
        assertThatThrownBy(() -> CallReader.invitation(mapper.readTree("{\"chatInfo\":{\"threadId\":\"x\"}}")))
                .isInstanceOf(InvalidInput.class).extracting(e -> ((InvalidInput) e).field()).isEqualTo("meetingInfo");
        assertThatThrownBy(() -> CallReader.parties(mapper.readTree("[{\"identity\":{\"application\":{\"displayName\":\"x\"}}}]"), "targets"))
                .isInstanceOf(InvalidInput.class).extracting(e -> ((InvalidInput) e).field()).isEqualTo("targets[0].identity.application.id");
        assertThatThrownBy(() -> CallReader.modalities(mapper.readTree("[\"smell\"]"), "requestedModalities"))
                .isInstanceOf(InvalidInput.class);
    }
}
