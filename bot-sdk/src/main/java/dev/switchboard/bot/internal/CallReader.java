package dev.switchboard.bot.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.bot.CallEvent;
import dev.switchboard.bot.GroupInvitation;
import dev.switchboard.bot.Identity;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the parts of a Graph call object the public API shows: identities, invitation, resultInfo. */
final class CallReader {

    /** identitySet members in the order a caller is looked for. */
    private static final List<String> KINDS = List.of("user", "application", "applicationInstance", "phone", "guest",
            "encrypted", "onPremises", "acsUser", "spoolUser", "azureCommunicationServicesUser");

    private CallReader() {
    }

    /** The first member of a participantInfo's (or invitationParticipantInfo's) identity set. */
    static Optional<Identity> participant(JsonNode participant) {
        return participant == null ? Optional.empty() : identity(participant.get("identity"));
    }

    static Optional<Identity> identity(JsonNode set) {
        if (set == null || !set.isObject()) return Optional.empty();
        for (String kind : KINDS) {
            Optional<Identity> i = member(kind, set.get(kind));
            if (i.isPresent()) return i;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = set.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("@")) continue;
            Optional<Identity> i = member(e.getKey(), e.getValue());
            if (i.isPresent()) return i;
        }
        return Optional.empty();
    }

    private static Optional<Identity> member(String kind, JsonNode m) {
        if (m == null || !m.isObject()) return Optional.empty();
        String id = Json.text(m, "id");
        return Optional.of(new Identity(kind, id, nonEmpty(Json.text(m, "displayName")), nonEmpty(Json.text(m, "tenantId"))));
    }

    static List<Identity> targets(JsonNode call) {
        List<Identity> out = new ArrayList<>();
        JsonNode targets = call.get("targets");
        if (targets != null && targets.isArray()) for (JsonNode t : targets) participant(t).ifPresent(out::add);
        return out;
    }

    static Optional<GroupInvitation> invitation(JsonNode call) {
        JsonNode chat = call.get("chatInfo");
        JsonNode meeting = call.get("meetingInfo");
        boolean hasChat = chat != null && chat.isObject();
        boolean hasMeeting = meeting != null && meeting.isObject();
        if (!hasChat && !hasMeeting) return Optional.empty();
        GroupInvitation.ChatInfo chatInfo = hasChat
                ? new GroupInvitation.ChatInfo(Json.text(chat, "threadId"), Json.text(chat, "messageId"), Json.text(chat, "replyChainMessageId"))
                : new GroupInvitation.ChatInfo("", "", "");
        GroupInvitation.MeetingInfo meetingInfo = hasMeeting
                ? new GroupInvitation.MeetingInfo(Json.odataType(meeting), identity(meeting.get("organizer")), Json.toMap(meeting))
                : new GroupInvitation.MeetingInfo("", Optional.empty(), Map.of());
        return Optional.of(new GroupInvitation(chatInfo, meetingInfo));
    }

    static CallEvent event(Notification n) {
        JsonNode r = n.resourceData().get("resultInfo");
        Optional<CallEvent.ResultInfo> result = r != null && r.isObject()
                ? Optional.of(new CallEvent.ResultInfo(r.path("code").asInt(), r.path("subcode").asInt(), Json.text(r, "message")))
                : Optional.empty();
        return new CallEvent(n.callId(), n.changeType(), n.state(), result, Json.toMap(n.resourceData()));
    }

    private static Optional<String> nonEmpty(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }
}
