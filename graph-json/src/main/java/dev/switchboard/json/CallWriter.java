package dev.switchboard.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.ChatInfo;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.MeetingInfo;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.ResultInfo;

/** Writes calls the way Graph shows them: every typed object with its {@code @odata.type}. */
public final class CallWriter {

    private final ObjectMapper mapper;

    public CallWriter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public ObjectNode call(Call call) {
        ObjectNode n = mapper.createObjectNode();
        n.put(ODataTypes.KEY, ODataTypes.of("call"));
        n.put("id", call.id());
        n.put("state", call.state().wireName());
        n.put("direction", call.direction().wireName());
        n.put("callbackUri", call.callbackUri());
        n.set("source", party(call.source(), "participantInfo"));
        ArrayNode targets = n.putArray("targets");
        call.targets().forEach(t -> targets.add(party(t, "invitationParticipantInfo")));
        ArrayNode modalities = n.putArray("requestedModalities");
        call.requestedModalities().stream().map(Modality::wireName).forEach(modalities::add);
        n.put("tenantId", call.tenantId());
        n.put("myParticipantId", call.myParticipantId());
        n.put("callChainId", call.callChainId());
        call.resultInfo().ifPresent(r -> n.set("resultInfo", resultInfo(r)));
        call.invitation().ifPresent(inv -> {
            n.set("chatInfo", chatInfo(inv.chatInfo()));
            n.set("meetingInfo", meetingInfo(inv.meetingInfo()));
        });
        return n;
    }

    public ObjectNode resultInfo(ResultInfo r) {
        ObjectNode n = mapper.createObjectNode();
        n.put(ODataTypes.KEY, ODataTypes.of("resultInfo"));
        n.put("code", r.code());
        n.put("subcode", r.subcode());
        n.put("message", r.message());
        return n;
    }

    ObjectNode party(Party party, String type) {
        ObjectNode n = mapper.createObjectNode();
        n.put(ODataTypes.KEY, ODataTypes.of(type));
        // the calling platform names the participant id "id"; the SDKs' models know "participantId"
        party.participantId().ifPresent(id -> {
            n.put("id", id);
            n.put("participantId", id);
        });
        n.set("identity", identitySet(party.identity()));
        return n;
    }

    ObjectNode identitySet(IdentitySet set) {
        ObjectNode n = mapper.createObjectNode();
        n.put(ODataTypes.KEY, ODataTypes.of("identitySet"));
        set.members().values().forEach(i -> n.set(i.kind().wireName(), identity(i)));
        return n;
    }

    private JsonNode identity(Identity i) {
        ObjectNode n = mapper.createObjectNode();
        n.put(ODataTypes.KEY, ODataTypes.of("identity"));
        n.put("id", i.id());
        i.displayName().ifPresent(d -> n.put("displayName", d));
        i.tenantId().ifPresent(t -> n.put("tenantId", t));
        n.put("identityProvider", i.tenantId().isPresent() ? "AAD" : "None");
        return n;
    }

    private ObjectNode chatInfo(ChatInfo c) {
        ObjectNode n = mapper.createObjectNode();
        n.put(ODataTypes.KEY, ODataTypes.of("chatInfo"));
        n.put("threadId", c.threadId());
        c.messageId().ifPresent(v -> n.put("messageId", v));
        c.replyChainMessageId().ifPresent(v -> n.put("replyChainMessageId", v));
        return n;
    }

    private ObjectNode meetingInfo(MeetingInfo m) {
        ObjectNode n = mapper.createObjectNode();
        if (m instanceof MeetingInfo.Organizer o) {
            n.put(ODataTypes.KEY, ODataTypes.of("organizerMeetingInfo"));
            n.set("organizer", identitySet(o.organizer()));
        } else if (m instanceof MeetingInfo.Token t) {
            n.put(ODataTypes.KEY, ODataTypes.of("tokenMeetingInfo"));
            n.put("token", t.token());
        } else if (m instanceof MeetingInfo.JoinMeetingId j) {
            n.put(ODataTypes.KEY, ODataTypes.of("joinMeetingIdMeetingInfo"));
            n.put("joinMeetingId", j.joinMeetingId());
            j.passcode().ifPresent(p -> n.put("passcode", p));
        }
        return n;
    }
}
