package dev.switchboard.server.http;

import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static dev.switchboard.server.http.GraphErrorAssert.assertGraphError;
import static org.assertj.core.api.Assertions.assertThat;

/** What every response looks like, whatever it says: ids, error bodies, methods, paths. */
class ResponseShapeTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    private RawGraph graph;
    private OfferedCall call;

    @BeforeEach
    void offerACall() {
        graph = new RawGraph(switchboard.baseUrl());
        call = OfferedCall.place(switchboard, graph);
    }

    @Test
    void everyResponseCarriesARequestIdAndEchoesTheClientRequestId() {
        String bot = switchboard.token(switchboard.bot());
        String caller = switchboard.token(switchboard.caller());
        String leg = RawGraph.CALLS + "/" + call.botLegId();
        String createBody = RawGraph.callTo(switchboard.bot().id(), switchboard.callerEndpoint().url()).toString();
        List<HttpRequest.Builder> requests = List.of(
                graph.request(RawGraph.CALLS, caller).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(createBody)),
                graph.request(leg, bot).GET(),
                graph.request(leg, null).GET(),
                graph.request(RawGraph.CALLS + "/" + UUID.randomUUID(), bot).GET(),
                graph.request(leg + "/reject", bot).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":5}")),
                graph.request(leg, bot).PUT(HttpRequest.BodyPublishers.ofString("{}")),
                graph.request("/v1/.well-known/OpenIdConfiguration", null).GET(),
                graph.request(leg + "/reject", bot).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"busy\"}")),
                graph.request(RawGraph.CALLS + "/" + call.callerLegId(), caller).DELETE());
        List<Integer> statuses = new ArrayList<>();
        for (HttpRequest.Builder request : requests) {
            String clientRequestId = UUID.randomUUID().toString();
            HttpResponse<String> r = graph.send(request.header("client-request-id", clientRequestId).build());
            statuses.add(r.statusCode());
            assertThat(r.headers().firstValue("request-id")).as("request-id of %s", r.request().uri()).isPresent();
            assertThat(r.headers().firstValue("client-request-id")).as("client-request-id of %s", r.request().uri())
                    .hasValue(clientRequestId);
            if (r.statusCode() >= 400) {
                assertThat(RawGraph.json(r).path("error").path("innerError").path("client-request-id").asText())
                        .isEqualTo(clientRequestId);
            }
        }
        assertThat(statuses).containsExactly(201, 200, 401, 404, 400, 405, 200, 202, 404);
    }

    @Test
    void requestIdsDifferPerResponse() {
        String bot = switchboard.token(switchboard.bot());
        HttpResponse<String> first = graph.get(RawGraph.CALLS + "/" + call.botLegId(), bot);
        HttpResponse<String> second = graph.get(RawGraph.CALLS + "/" + call.botLegId(), bot);

        assertThat(first.headers().firstValue("request-id")).isNotEqualTo(second.headers().firstValue("request-id"));
    }

    @Test
    void aPutOnACallIsMethodNotAllowedWithAGraphErrorBody() {
        HttpResponse<String> r = graph.send(graph.request(RawGraph.CALLS + "/" + call.botLegId(), switchboard.token(switchboard.bot()))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString("{\"state\":\"terminated\"}")).build());

        assertThat(r.statusCode()).isEqualTo(405);
        assertGraphError(r, 405, RawGraph.json(r).path("error").path("code").asText());
        call.assertStillIncoming(switchboard, graph);
    }

    @Test
    void aCreateAnswers201WithALocationNamingTheNewCallInStateEstablishing() {
        HttpResponse<String> r = graph.postJson(RawGraph.CALLS, switchboard.token(switchboard.caller()),
                RawGraph.callTo(switchboard.bot().id(), switchboard.callerEndpoint().url()).toString());

        assertThat(r.statusCode()).isEqualTo(201);
        String id = RawGraph.json(r).path("id").asText();
        assertThat(RawGraph.json(r).path("state").asText()).isEqualTo("establishing");
        assertThat(r.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith(RawGraph.CALLS + "/" + id));
    }

    @Test
    void theNamespacedActionOnTheBetaPathRejectsToo() {
        HttpResponse<String> r = graph.postJson("/beta/communications/calls/" + call.botLegId() + "/microsoft.graph.reject",
                switchboard.token(switchboard.bot()), "{\"reason\":\"forbidden\"}");

        assertThat(r.statusCode()).isEqualTo(202);
        switchboard.awaitAllDelivered();
        assertThat(switchboard.botEndpoint().forCall(call.botLegId())).extracting(Notification::result)
                .containsExactly("", "403/0 Forbidden");
    }

    @Test
    void theOldAppCallsAliasRejectsToo() {
        HttpResponse<String> r = graph.postJson("/v1.0/app/calls/" + call.botLegId() + "/reject",
                switchboard.token(switchboard.bot()), "{\"reason\":\"busy\"}");

        assertThat(r.statusCode()).isEqualTo(202);
    }

    @Test
    void notificationsCarryTheGraphHeadersAndEnvelope() {
        switchboard.awaitAllDelivered();
        Notification offer = switchboard.botEndpoint().forCall(call.botLegId()).get(0);

        assertThat(offer.headers()).containsKeys("X-Microsoft-Skype-Message-ID", "Scenario-Id", "User-Agent");
        assertThat(offer.headers().get("X-Microsoft-Skype-Chain-ID")).isEqualTo(call.callChainId());
        assertThat(offer.headers().get("User-Agent")).contains("Switchboard");
        assertThat(offer.headers().get("Content-Type")).startsWith("application/json");
        assertThat(offer.resourceData().path("@odata.type").asText()).isEqualTo("#microsoft.graph.call");
        assertThat(offer.resourceData().path("direction").asText()).isEqualTo("incoming");
        assertThat(offer.resourceData().path("tenantId").asText()).isEqualTo(switchboard.bot().tenantId());
        assertThat(offer.resourceData().path("callChainId").asText()).isEqualTo(call.callChainId());

        graph.reject(call.botLegId(), switchboard.token(switchboard.bot()), "{\"reason\":\"busy\"}");
        switchboard.awaitAllDelivered();
        List<String> messageIds = switchboard.botEndpoint().forCall(call.botLegId()).stream().map(Notification::messageId).toList();
        assertThat(messageIds).hasSize(2).doesNotHaveDuplicates();
    }
}
