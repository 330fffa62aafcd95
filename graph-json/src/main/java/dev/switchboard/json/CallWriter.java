package dev.switchboard.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.ChatInfo;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.MeetingInfo;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.ResultInfo;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Writes calls the way Graph shows them: every typed object with its {@code @odata.type}.
 *
 * <p>Straight to a generator rather than through a tree: a leg is written four times per call (stored
 * twice, notified twice), and building the tree first cost as much again as writing it.
 */
public final class CallWriter {

    /** A call's Graph JSON is 1.5 to 3 KB. */
    private static final int TYPICAL_LENGTH = 2048;

    private final JsonFactory factory;

    public CallWriter(ObjectMapper mapper) {
        this.factory = mapper.getFactory();
    }

    /** The call's Graph JSON. */
    public String json(Call call) {
        StringWriter out = new StringWriter(TYPICAL_LENGTH);
        try (JsonGenerator g = factory.createGenerator(out)) {
            call(call, g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    private void call(Call call, JsonGenerator g) throws IOException {
        g.writeStartObject();
        type(g, "call");
        g.writeStringField("id", call.id());
        g.writeStringField("state", call.state().wireName());
        g.writeStringField("direction", call.direction().wireName());
        g.writeStringField("callbackUri", call.callbackUri());
        g.writeFieldName("source");
        party(call.source(), "participantInfo", g);
        g.writeArrayFieldStart("targets");
        for (Party t : call.targets()) party(t, "invitationParticipantInfo", g);
        g.writeEndArray();
        g.writeArrayFieldStart("requestedModalities");
        for (Modality m : call.requestedModalities()) g.writeString(m.wireName());
        g.writeEndArray();
        g.writeStringField("tenantId", call.tenantId());
        g.writeStringField("myParticipantId", call.myParticipantId());
        g.writeStringField("callChainId", call.callChainId());
        if (call.resultInfo().isPresent()) {
            g.writeFieldName("resultInfo");
            resultInfo(call.resultInfo().get(), g);
        }
        if (call.invitation().isPresent()) {
            g.writeFieldName("chatInfo");
            chatInfo(call.invitation().get().chatInfo(), g);
            g.writeFieldName("meetingInfo");
            meetingInfo(call.invitation().get().meetingInfo(), g);
        }
        g.writeEndObject();
    }

    private static void resultInfo(ResultInfo r, JsonGenerator g) throws IOException {
        g.writeStartObject();
        type(g, "resultInfo");
        g.writeNumberField("code", r.code());
        g.writeNumberField("subcode", r.subcode());
        g.writeStringField("message", r.message());
        g.writeEndObject();
    }

    private static void party(Party party, String type, JsonGenerator g) throws IOException {
        g.writeStartObject();
        type(g, type);
        // the calling platform names the participant id "id"; the SDKs' models know "participantId"
        if (party.participantId().isPresent()) {
            g.writeStringField("id", party.participantId().get());
            g.writeStringField("participantId", party.participantId().get());
        }
        g.writeFieldName("identity");
        identitySet(party.identity(), g);
        g.writeEndObject();
    }

    private static void identitySet(IdentitySet set, JsonGenerator g) throws IOException {
        g.writeStartObject();
        type(g, "identitySet");
        for (Identity i : set.members().values()) {
            g.writeFieldName(i.kind().wireName());
            identity(i, g);
        }
        g.writeEndObject();
    }

    private static void identity(Identity i, JsonGenerator g) throws IOException {
        g.writeStartObject();
        type(g, "identity");
        g.writeStringField("id", i.id());
        optional(g, "displayName", i.displayName());
        optional(g, "tenantId", i.tenantId());
        g.writeStringField("identityProvider", i.tenantId().isPresent() ? "AAD" : "None");
        g.writeEndObject();
    }

    private static void chatInfo(ChatInfo c, JsonGenerator g) throws IOException {
        g.writeStartObject();
        type(g, "chatInfo");
        g.writeStringField("threadId", c.threadId());
        optional(g, "messageId", c.messageId());
        optional(g, "replyChainMessageId", c.replyChainMessageId());
        g.writeEndObject();
    }

    private static void meetingInfo(MeetingInfo m, JsonGenerator g) throws IOException {
        g.writeStartObject();
        if (m instanceof MeetingInfo.Organizer o) {
            type(g, "organizerMeetingInfo");
            g.writeFieldName("organizer");
            identitySet(o.organizer(), g);
        } else if (m instanceof MeetingInfo.Token t) {
            type(g, "tokenMeetingInfo");
            g.writeStringField("token", t.token());
        } else if (m instanceof MeetingInfo.JoinMeetingId j) {
            type(g, "joinMeetingIdMeetingInfo");
            g.writeStringField("joinMeetingId", j.joinMeetingId());
            optional(g, "passcode", j.passcode());
        }
        g.writeEndObject();
    }

    private static void type(JsonGenerator g, String name) throws IOException {
        g.writeStringField(ODataTypes.KEY, ODataTypes.of(name));
    }

    private static void optional(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) g.writeStringField(field, value.get());
    }
}
