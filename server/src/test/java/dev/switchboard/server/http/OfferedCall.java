package dev.switchboard.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.server.fixtures.BotEndpoint;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestSwitchboard;

import static org.assertj.core.api.Assertions.assertThat;

/** A call the caller app placed to the bot, as both sides know it: the caller's leg and the bot's. */
record OfferedCall(String callerLegId, String botLegId, String callChainId) {

    static OfferedCall place(TestSwitchboard switchboard, RawGraph graph) {
        JsonNode placed = graph.placeCall(switchboard.token(switchboard.caller()), switchboard.bot().id(),
                switchboard.callerEndpoint().url());
        String chain = placed.path("callChainId").asText();
        BotEndpoint.Notification offer = switchboard.botEndpoint().awaitIncoming(chain);
        return new OfferedCall(placed.path("id").asText(), offer.callId(), chain);
    }

    /** The bot's leg is still ringing, untouched, and the bot heard of it exactly once. */
    void assertStillIncoming(TestSwitchboard switchboard, RawGraph graph) {
        JsonNode leg = graph.call(botLegId, switchboard.token(switchboard.bot()));
        assertThat(leg.path("state").asText()).isEqualTo("incoming");
        assertThat(leg.has("resultInfo")).isFalse();
        assertThat(graph.call(callerLegId, switchboard.token(switchboard.caller())).path("state").asText())
                .isEqualTo("establishing");
        switchboard.awaitAllDelivered();
        assertThat(switchboard.botEndpoint().forCall(botLegId)).extracting(BotEndpoint.Notification::summary)
                .containsExactly("created:incoming");
        assertThat(switchboard.callerEndpoint().forCall(callerLegId)).isEmpty();
    }
}
