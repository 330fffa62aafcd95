package dev.switchboard.json;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.Direction;
import dev.switchboard.core.calls.Ending;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.store.CallCodec;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * Stores a leg as its Graph JSON plus the fields Graph does not show (owner, version, deadline,
 * ending), so one mapping serves the wire and the store.
 */
public final class GraphCallCodec implements CallCodec {

    private static final String INTERNAL = "switchboard";
    /** The internal member: owner, version, deadline, ending and two instants. */
    private static final int INTERNAL_LENGTH = 256;

    private final ObjectMapper mapper;
    private final CallWriter writer;
    private final RecentlyEncoded recent = new RecentlyEncoded();

    public GraphCallCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.writer = new CallWriter(mapper);
    }

    public GraphCallCodec() {
        this(new ObjectMapper());
    }

    /**
     * The leg's Graph JSON with the internal fields appended as one more member. The Graph JSON part
     * is kept for {@link #resourceData}, which a store asks for right after (a changed leg is stored,
     * then notified), so it is written once.
     */
    @Override
    public String encode(Call call) {
        String graph = writer.json(call);
        recent.remember(call, graph);
        StringWriter out = new StringWriter(graph.length() + INTERNAL_LENGTH);
        // a call's object always has members, so it ends in "...}" and takes one more after a comma
        out.write(graph, 0, graph.length() - 1);
        out.write(",\"" + INTERNAL + "\":");
        try (JsonGenerator g = mapper.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("ownerAppId", call.ownerAppId());
            g.writeNumberField("version", call.version());
            if (call.answerDeadline().isPresent()) g.writeStringField("answerDeadline", call.answerDeadline().get().toString());
            if (call.ending().isPresent()) g.writeStringField("ending", call.ending().get().code());
            g.writeStringField("createdAt", call.createdAt().toString());
            g.writeStringField("updatedAt", call.updatedAt().toString());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        out.write('}');
        return out.toString();
    }

    @Override
    public Call decode(String encoded) {
        JsonNode n;
        try {
            n = mapper.readTree(encoded);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored call is not JSON", e);
        }
        JsonNode internal = n.get(INTERNAL);
        Optional<Ending> ending = Optional.ofNullable(internal.get("ending")).map(JsonNode::asText)
                .map(code -> Ending.parse(code).orElseThrow(() -> new IllegalStateException("unknown ending " + code)));
        Party source = CallReader.party(n.get("source"), "source");
        return new Call(
                n.get("id").asText(),
                n.get("tenantId").asText(),
                internal.get("ownerAppId").asText(),
                Direction.fromWire(n.get("direction").asText()),
                CallState.fromWire(n.get("state").asText()),
                internal.get("version").asLong(),
                n.get("callbackUri").asText(),
                source,
                CallReader.parties(n.get("targets"), "targets"),
                CallReader.modalities(n.get("requestedModalities"), "requestedModalities"),
                CallReader.invitation(n),
                n.get("callChainId").asText(),
                n.get("myParticipantId").asText(),
                Optional.ofNullable(internal.get("answerDeadline")).map(d -> Instant.parse(d.asText())),
                ending,
                Instant.parse(internal.get("createdAt").asText()),
                Instant.parse(internal.get("updatedAt").asText()));
    }

    @Override
    public String resourceData(Call call) {
        return recent.graphJsonOf(call).orElseGet(() -> writer.json(call));
    }
}
