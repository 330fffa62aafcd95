package dev.switchboard.server.http;

import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.stream.Stream;

import static dev.switchboard.server.http.GraphErrorAssert.assertGraphError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A reject body the contract refuses is answered precisely and changes nothing. */
class RejectInputTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    private RawGraph graph;
    private OfferedCall call;

    @BeforeEach
    void offerACall() {
        graph = new RawGraph(switchboard.baseUrl());
        call = OfferedCall.place(switchboard, graph);
    }

    static Stream<Arguments> refusedBodies() {
        return Stream.of(
                arguments("malformed JSON", "application/json", "{\"reason\": \"busy\"", 400, List.of("JSON")),
                arguments("a JSON array", "application/json", "[\"busy\"]", 400, List.of("object")),
                arguments("a number as reason", "application/json", "{\"reason\": 5}", 400,
                        List.of("reason", "none", "busy", "forbidden")),
                arguments("unknownFutureValue as reason", "application/json", "{\"reason\":\"unknownFutureValue\"}", 400,
                        List.of("reason", "none", "busy", "forbidden")),
                arguments("an unknown reason", "application/json", "{\"reason\":\"spam\"}", 400,
                        List.of("reason", "none", "busy", "forbidden")),
                arguments("an http callbackUri to a public host", "application/json",
                        "{\"reason\":\"busy\",\"callbackUri\":\"http://example.com/callback\"}", 400, List.of("callbackUri")),
                arguments("a relative callbackUri", "application/json",
                        "{\"reason\":\"busy\",\"callbackUri\":\"/callback\"}", 400, List.of("callbackUri")),
                arguments("a number as callbackUri", "application/json",
                        "{\"reason\":\"busy\",\"callbackUri\":5}", 400, List.of("callbackUri")),
                arguments("a body over 64 KiB", "application/json",
                        "{\"reason\":\"busy\",\"pad\":\"" + "x".repeat(64 * 1024) + "\"}", 413, List.of()),
                arguments("a text/plain body", "text/plain", "{\"reason\":\"busy\"}", 415, List.of("application/json")));
    }

    @ParameterizedTest(name = "{0} is refused with {3} and leaves the call ringing")
    @MethodSource("refusedBodies")
    void aRefusedRejectNamesTheProblemAndLeavesTheCallIncoming(String what, String contentType, String body, int status,
                                                                List<String> messageNames) {
        HttpResponse<String> r = graph.send(graph.request(RawGraph.CALLS + "/" + call.botLegId() + "/reject",
                        switchboard.token(switchboard.bot()))
                .header("Content-Type", contentType)
                .POST(publisher(body)).build());

        String message = assertGraphError(r, status, "invalidRequest");
        messageNames.forEach(name -> assertThat(message).contains(name));
        call.assertStillIncoming(switchboard, graph);
    }

    /**
     * A body over the limit goes chunked, without a Content-Length: the server reads it before refusing
     * it. (Declared up front, the server answers 413 without reading the body and closes the
     * connection, and the client sometimes sees a reset instead of the 413.)
     */
    private static HttpRequest.BodyPublisher publisher(String body) {
        HttpRequest.BodyPublisher whole = HttpRequest.BodyPublishers.ofString(body);
        return body.length() > 64 * 1024 ? HttpRequest.BodyPublishers.fromPublisher(whole) : whole;
    }

    @Test
    void aReasonInAnotherCasingIsAcceptedWithAnEmpty202AndEmittedInLowercase() {
        HttpResponse<String> r = graph.reject(call.botLegId(), switchboard.token(switchboard.bot()), "{\"reason\":\"Busy\"}");

        assertThat(r.statusCode()).isEqualTo(202);
        assertThat(r.body()).isEmpty();
        assertThat(r.headers().firstValue("Content-Length")).hasValue("0");
        switchboard.awaitAllDelivered();
        assertThat(switchboard.botEndpoint().forCall(call.botLegId())).extracting(Notification::result)
                .containsExactly("", "486/0 Busy");
    }

    @Test
    void aRejectWithoutABodyDeclinesTheCallAsReasonNone() {
        HttpResponse<String> r = graph.send(graph.request(RawGraph.CALLS + "/" + call.botLegId() + "/reject",
                switchboard.token(switchboard.bot())).POST(HttpRequest.BodyPublishers.noBody()).build());

        assertThat(r.statusCode()).isEqualTo(202);
        switchboard.awaitAllDelivered();
        assertThat(switchboard.callerEndpoint().forCall(call.callerLegId())).extracting(Notification::result)
                .containsExactly("603/0 Declined");
    }

    @Test
    void aGzippedBodyAsKiotasCompressionHandlerSendsItIsAccepted() throws Exception {
        java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(zipped)) {
            gz.write("{\"reason\":\"forbidden\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        HttpResponse<String> r = graph.send(graph.request(RawGraph.CALLS + "/" + call.botLegId() + "/reject",
                        switchboard.token(switchboard.bot()))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build());

        assertThat(r.statusCode()).isEqualTo(202);
        switchboard.awaitAllDelivered();
        assertThat(switchboard.callerEndpoint().forCall(call.callerLegId())).extracting(Notification::result)
                .containsExactly("403/0 Forbidden");
    }

    @Test
    void aBodyThatIsNotTheGzipItClaimsIsRefusedAndChangesNothing() {
        HttpResponse<String> r = graph.send(graph.request(RawGraph.CALLS + "/" + call.botLegId() + "/reject",
                        switchboard.token(switchboard.bot()))
                .header("Content-Type", "application/json")
                .header("Content-Encoding", "gzip")
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"busy\"}")).build());

        assertGraphError(r, 400, "invalidRequest");
        call.assertStillIncoming(switchboard, graph);
    }
}
