package dev.switchboard.server.http;

import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The SDKs resend a create they got no answer to; a retry must not ring the bot twice. */
class RetriedCreateTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    private RawGraph graph;
    private String body;
    private String clientRequestId;

    @BeforeEach
    void setUp() {
        graph = new RawGraph(switchboard.baseUrl());
        body = RawGraph.callTo(switchboard.bot().id(), switchboard.callerEndpoint().url()).toString();
        clientRequestId = UUID.randomUUID().toString();
    }

    private HttpResponse<String> create(String retryAttempt) {
        HttpRequest.Builder request = graph.request(RawGraph.CALLS, switchboard.token(switchboard.caller()))
                .header("Content-Type", "application/json")
                .header("client-request-id", clientRequestId)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (retryAttempt != null) request.header("Retry-Attempt", retryAttempt);
        HttpResponse<String> r = graph.send(request.build());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return r;
    }

    @Test
    void aCreateResentWithRetryAttemptGetsTheSameCallAndTheBotIsOfferedItOnce() {
        String first = RawGraph.json(create(null)).path("id").asText();
        String again = RawGraph.json(create("1")).path("id").asText();
        switchboard.awaitAllDelivered();

        assertThat(again).isEqualTo(first);
        assertThat(switchboard.botEndpoint().notifications()).extracting(Notification::summary)
                .containsExactly("created:incoming");
    }

    @Test
    void theSameCreateSentTwiceWithoutRetryAttemptPlacesTwoCalls() {
        String first = RawGraph.json(create(null)).path("id").asText();
        String second = RawGraph.json(create(null)).path("id").asText();
        switchboard.awaitAllDelivered();

        assertThat(second).isNotEqualTo(first);
        assertThat(switchboard.botEndpoint().notifications()).extracting(Notification::summary)
                .containsExactly("created:incoming", "created:incoming");
    }
}
