package dev.switchboard.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.calls.ChatInfo;
import dev.switchboard.core.calls.GroupInvitation;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.MeetingInfo;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Party;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the Graph shapes a client sends. Strict about what it needs, lenient where the SDKs differ
 * ({@code @odata.type} with or without '#', or missing). Throws {@link InvalidInput} naming the field.
 */
public final class CallReader {

    private CallReader() {
    }

    public static Party party(JsonNode node, String field) {
        requireObject(node, field);
        JsonNode identity = node.get("identity");
        if (identity == null || identity.isNull()) throw new InvalidInput(field + ".identity", "is required");
        Optional<String> participantId = optionalText(node, "participantId", field)
                .or(() -> optionalText(node, "id", field));
        return new Party(identitySet(identity, field + ".identity"), participantId);
    }

    public static List<Party> parties(JsonNode node, String field) {
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray()) throw new InvalidInput(field, "must be an array");
        List<Party> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) out.add(party(node.get(i), field + "[" + i + "]"));
        return out;
    }

    public static IdentitySet identitySet(JsonNode node, String field) {
        requireObject(node, field);
        Map<IdentityKind, Identity> members = new EnumMap<>(IdentityKind.class);
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            Optional<IdentityKind> kind = IdentityKind.parse(e.getKey());
            if (kind.isEmpty() || e.getValue().isNull()) continue; // unknown members are kept by nobody, as Graph does
            members.put(kind.get(), identity(kind.get(), e.getValue(), field + "." + e.getKey()));
        }
        if (members.isEmpty()) throw new InvalidInput(field, "names no identity (application, user, phone...)");
        return new IdentitySet(members);
    }

    private static Identity identity(IdentityKind kind, JsonNode node, String field) {
        requireObject(node, field);
        String id = optionalText(node, "id", field).orElseThrow(() -> new InvalidInput(field + ".id", "is required"));
        return new Identity(kind, id, optionalText(node, "displayName", field), optionalText(node, "tenantId", field));
    }

    public static List<Modality> modalities(JsonNode node, String field) {
        if (node == null || node.isNull()) return List.of();
        if (!node.isArray()) throw new InvalidInput(field, "must be an array of audio, video, videoBasedScreenSharing, data");
        List<Modality> out = new ArrayList<>();
        for (JsonNode m : node) {
            if (!m.isTextual()) throw new InvalidInput(field, "must hold strings");
            out.add(Modality.parse(m.asText()).orElseThrow(() -> new InvalidInput(field,
                    "'" + m.asText() + "' is not one of audio, video, videoBasedScreenSharing, data")));
        }
        return out;
    }

    /** chatInfo and meetingInfo together make a group-call invitation; one without the other is an error. */
    public static Optional<GroupInvitation> invitation(JsonNode body) {
        JsonNode chat = body.get("chatInfo");
        JsonNode meeting = body.get("meetingInfo");
        boolean hasChat = chat != null && !chat.isNull();
        boolean hasMeeting = meeting != null && !meeting.isNull();
        if (!hasChat && !hasMeeting) return Optional.empty();
        if (!hasChat) throw new InvalidInput("chatInfo", "is required with meetingInfo");
        if (!hasMeeting) throw new InvalidInput("meetingInfo", "is required with chatInfo");
        return Optional.of(new GroupInvitation(chatInfo(chat), meetingInfo(meeting)));
    }

    static ChatInfo chatInfo(JsonNode node) {
        requireObject(node, "chatInfo");
        String thread = optionalText(node, "threadId", "chatInfo")
                .filter(s -> !s.isBlank())
                .orElseThrow(() -> new InvalidInput("chatInfo.threadId", "is required"));
        return new ChatInfo(thread, optionalText(node, "messageId", "chatInfo"),
                optionalText(node, "replyChainMessageId", "chatInfo"));
    }

    static MeetingInfo meetingInfo(JsonNode node) {
        requireObject(node, "meetingInfo");
        String type = ODataTypes.nameOf(node);
        if (type.equals("organizerMeetingInfo") || (type.isEmpty() && node.has("organizer"))) {
            JsonNode organizer = node.get("organizer");
            if (organizer == null || organizer.isNull()) throw new InvalidInput("meetingInfo.organizer", "is required");
            return new MeetingInfo.Organizer(identitySet(organizer, "meetingInfo.organizer"));
        }
        if (type.equals("tokenMeetingInfo") || (type.isEmpty() && node.has("token"))) {
            return new MeetingInfo.Token(optionalText(node, "token", "meetingInfo")
                    .orElseThrow(() -> new InvalidInput("meetingInfo.token", "is required")));
        }
        if (type.equals("joinMeetingIdMeetingInfo") || (type.isEmpty() && node.has("joinMeetingId"))) {
            return new MeetingInfo.JoinMeetingId(optionalText(node, "joinMeetingId", "meetingInfo")
                    .orElseThrow(() -> new InvalidInput("meetingInfo.joinMeetingId", "is required")),
                    optionalText(node, "passcode", "meetingInfo"));
        }
        throw new InvalidInput("meetingInfo", "must be an organizerMeetingInfo, tokenMeetingInfo or joinMeetingIdMeetingInfo");
    }

    public static Optional<String> optionalText(JsonNode node, String key, String field) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) return Optional.empty();
        if (!v.isTextual()) throw new InvalidInput(field.isEmpty() ? key : field + "." + key, "must be a string");
        return Optional.of(v.asText());
    }

    public static void requireObject(JsonNode node, String field) {
        if (node == null || !node.isObject()) throw new InvalidInput(field, "must be an object");
    }
}
