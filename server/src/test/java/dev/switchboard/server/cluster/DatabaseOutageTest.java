package dev.switchboard.server.cluster;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.fixtures.RawGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node whose database goes away refuses new calls — HTTP and SIP alike — with 503 and Retry-After
 * instead of acknowledging what it cannot store, says so on /readyz, and serves again by itself once
 * the database is back.
 */
class DatabaseOutageTest {

    @TempDir
    Path dataDir;
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void newCallsGet503WithRetryAfterWhileTheDatabaseIsGoneAndSucceedOnceItIsBack() throws Exception {
        cluster = new Cluster(dataDir, Clock.system(), Duration.ofSeconds(15), Duration.ofSeconds(10), true);
        Switchboard node = cluster.start("node-1", Optional.of(0));
        int sipPort = node.sipPort().orElseThrow();
        RawGraph graph = cluster.graph(node);
        String token = cluster.token(cluster.caller);
        String body = RawGraph.callTo(cluster.bot.id(), cluster.callerEndpoint.url()).toString();
        assertThat(graph.postJson(RawGraph.CALLS, token, body).statusCode()).isEqualTo(201);
        int stored = calls();

        cluster.lockOut();
        // the first request finds out (waiting for a connection); from then on the node refuses at once
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> refused = graph.postJson(RawGraph.CALLS, token, body);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).contains("5");
            assertThat(RawGraph.json(refused).path("error").path("code").asText()).isEqualTo("serviceNotAvailable");
        }
        assertThat(node.store().healthy()).isFalse();
        assertThat(graph.get("/readyz", null).statusCode()).isEqualTo(503);
        Sipp.require("sipp");
        Sipp.call(Sipp.UNAVAILABLE, 2, sipPort, dataDir).assertPassed();

        cluster.letIn();
        await().atMost(Duration.ofSeconds(20)).until(() -> node.store().healthy());
        assertThat(graph.get("/readyz", null).statusCode()).isEqualTo(200);
        assertThat(calls()).as("nothing refused was stored").isEqualTo(stored);
        await().atMost(Duration.ofSeconds(20)).until(() -> graph.postJson(RawGraph.CALLS, token, body).statusCode() == 201);
        assertThat(calls()).isEqualTo(stored + 2);
    }

    private int calls() {
        return cluster.count("SELECT count(*) FROM calls");
    }
}
