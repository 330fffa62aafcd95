package dev.switchboard.server.http;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestApp;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static dev.switchboard.server.http.GraphErrorAssert.assertGraphError;
import static org.assertj.core.api.Assertions.assertThat;

/** Who may touch a call: tokens are checked, permissions are checked, and others' calls do not exist. */
class AccessTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard();

    private RawGraph graph;
    private OfferedCall call;

    @BeforeEach
    void offerACall() {
        graph = new RawGraph(switchboard.baseUrl());
        call = OfferedCall.place(switchboard, graph);
    }

    private HttpResponse<String> rejectWith(String token) {
        return graph.reject(call.botLegId(), token, "{\"reason\":\"busy\"}");
    }

    @Test
    void aRequestWithoutATokenIsUnauthenticated() {
        HttpResponse<String> r = rejectWith(null);

        assertGraphError(r, 401, "InvalidAuthenticationToken");
        assertThat(r.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertGraphError(graph.postJson(RawGraph.CALLS, null,
                RawGraph.callTo(switchboard.bot().id(), switchboard.callerEndpoint().url()).toString()), 401, "InvalidAuthenticationToken");
        call.assertStillIncoming(switchboard, graph);
    }

    @Test
    void aTokenSignedByAnotherKeyIsUnauthenticatedEvenWithTheRightKidAndClaims() throws Exception {
        SignedJWT genuine = SignedJWT.parse(switchboard.token(switchboard.bot()));
        RSAKey impostor = new RSAKeyGenerator(2048).keyID(genuine.getHeader().getKeyID()).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(impostor.getKeyID()).build(),
                genuine.getJWTClaimsSet());
        forged.sign(new RSASSASigner(impostor));

        assertGraphError(rejectWith(forged.serialize()), 401, "InvalidAuthenticationToken");
        assertGraphError(rejectWith("not-a-jwt"), 401, "InvalidAuthenticationToken");
        call.assertStillIncoming(switchboard, graph);
    }

    @Test
    void anExpiredTokenIsUnauthenticated() {
        String token = switchboard.token(switchboard.bot());
        switchboard.clock().advance(Duration.ofHours(2));

        HttpResponse<String> r = graph.get(RawGraph.CALLS + "/" + call.botLegId(), token);

        String message = assertGraphError(r, 401, "InvalidAuthenticationToken");
        assertThat(message).containsIgnoringCase("expired");
    }

    @Test
    void anAppWithoutPermissionsMayNotPlaceACall() {
        HttpResponse<String> r = graph.postJson(RawGraph.CALLS, switchboard.token(switchboard.powerless()),
                RawGraph.callTo(switchboard.bot().id(), switchboard.callerEndpoint().url()).toString());

        assertGraphError(r, 403, "7504");
        switchboard.awaitAllDelivered();
        assertThat(switchboard.botEndpoint().notifications()).hasSize(1);
    }

    @Test
    void anotherAppsCallIsNotFoundForEveryActionNeverForbidden() {
        List<TestApp> strangers = List.of(switchboard.bot2(), switchboard.outsider(), switchboard.powerless(), switchboard.caller());
        for (TestApp stranger : strangers) {
            String token = switchboard.token(stranger);
            String leg = RawGraph.CALLS + "/" + call.botLegId();
            List<Function<String, HttpResponse<String>>> actions = List.of(
                    t -> graph.get(leg, t),
                    t -> graph.reject(call.botLegId(), t, "{\"reason\":\"busy\"}"),
                    t -> graph.postJson(leg + "/answer", t, "{\"acceptedModalities\":[\"audio\"]}"),
                    t -> graph.postJson(leg + "/redirect", t, "{\"targets\":[{\"identity\":{\"application\":{\"id\":\""
                            + switchboard.bot2().id() + "\",\"tenantId\":\"" + switchboard.bot2().tenantId() + "\"}}}]}"),
                    t -> graph.delete(leg, t));
            for (Function<String, HttpResponse<String>> action : actions) {
                HttpResponse<String> r = action.apply(token);
                if (stranger == switchboard.powerless() && r.statusCode() == 403) {
                    continue; // an action needing a permission it lacks is refused before the call is looked up
                }
                assertGraphError(r, 404, "8522");
            }
        }
        call.assertStillIncoming(switchboard, graph);
    }

    @Test
    void theOtherTenantsAppCannotSeeTheCallersLegEither() {
        assertGraphError(graph.get(RawGraph.CALLS + "/" + call.callerLegId(), switchboard.token(switchboard.outsider())), 404, "8522");
        assertGraphError(graph.delete(RawGraph.CALLS + "/" + call.callerLegId(), switchboard.token(switchboard.outsider())), 404, "8522");
        call.assertStillIncoming(switchboard, graph);
    }

    @Test
    void aTokenForTheGraphResourceIsAcceptedLikeOneForTheServer() {
        HttpResponse<String> r = graph.send(graph.request(RawGraph.CALLS + "/" + call.botLegId(),
                switchboard.token(switchboard.bot(), TestSwitchboard.GRAPH_SCOPE)).GET().build());

        assertThat(r.statusCode()).isEqualTo(200);
    }

    @Test
    void anAppWithoutCallsPermissionsSeesTheCallerAsAnEncryptedIdentity() {
        RawGraph g = new RawGraph(switchboard.baseUrl());
        g.placeCall(switchboard.token(switchboard.caller()), switchboard.powerless().id(), switchboard.callerEndpoint().url());
        com.fasterxml.jackson.databind.JsonNode identity = switchboard.powerlessEndpoint().awaitIncoming().resourceData()
                .path("source").path("identity");
        assertThat(identity.has("encrypted")).isTrue();
        assertThat(identity.has("application")).isFalse();
        assertThat(identity.path("encrypted").path("id").asText()).doesNotContain(switchboard.caller().id());
    }

    @Test
    void aBotWithCallsPermissionsSeesTheCallerAndItsOwnTenantInTheTargets() {
        RawGraph g = new RawGraph(switchboard.baseUrl());
        g.placeCall(switchboard.token(switchboard.caller()), switchboard.bot().id(), switchboard.callerEndpoint().url());
        com.fasterxml.jackson.databind.JsonNode call = switchboard.botEndpoint().awaitIncoming().resourceData();
        assertThat(call.at("/source/identity/application/id").asText()).isEqualTo(switchboard.caller().id());
        assertThat(call.at("/targets/0/identity/application/tenantId").asText()).isNotBlank();
        assertThat(call.at("/targets/0/identity/application/identityProvider").asText()).isEqualTo("AAD");
    }
}
