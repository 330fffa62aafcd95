package dev.switchboard.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.Ending;
import dev.switchboard.core.calls.MeetingInfo;
import dev.switchboard.core.calls.RejectReason;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GraphCallCodecTest {

    private final GraphCallCodec codec = new GraphCallCodec();
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void encodedCallDecodesToAnEqualCall() {
        Call ringing = TestCalls.groupInvitation(CallState.INCOMING, Optional.empty());
        Call rejected = TestCalls.groupInvitation(CallState.TERMINATED, Optional.of(new Ending.Rejected(RejectReason.BUSY)));
        assertThat(codec.decode(codec.encode(ringing))).isEqualTo(ringing);
        assertThat(codec.decode(codec.encode(rejected))).isEqualTo(rejected);
    }

    @Test
    void resourceDataIsGraphShapedWithTypesAndResultInfo() throws Exception {
        Call rejected = TestCalls.groupInvitation(CallState.TERMINATED, Optional.of(new Ending.Rejected(RejectReason.BUSY)));
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
    void theStoredTextIsTheResourceDataPlusTheInternalFields() throws Exception {
        Call rejected = TestCalls.groupInvitation(CallState.TERMINATED, Optional.of(new Ending.Rejected(RejectReason.BUSY)));
        JsonNode stored = mapper.readTree(codec.encode(rejected));
        // asked right after the encode, as a store does, and asked of a codec that never encoded it
        String resourceData = codec.resourceData(rejected);
        assertThat(resourceData).isEqualTo(new GraphCallCodec().resourceData(rejected));
        assertThat(stored.get("switchboard").get("version").asLong()).isEqualTo(3);
        ((com.fasterxml.jackson.databind.node.ObjectNode) stored).remove("switchboard");
        assertThat(stored).isEqualTo(mapper.readTree(resourceData));
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
