package dev.switchboard.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.RawGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Node 2, a child process ({@code java -jar switchboard.jar serve}), takes calls while the bot is down,
 * so it holds their notifications under its delivery leases; it is then killed with SIGKILL while the
 * calls ring. Node 1, in this JVM, is the survivor: once the dead node's leases run out it takes the
 * notifications over, it times the calls out when their deadlines pass, and both sides hear every
 * call end, once, with 408/8544. Nothing acknowledged by the dead node is lost.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterCrashIT {

    private static final int CALLS = 20;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(4);
    private static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path dir;
    private Cluster cluster;
    private Process child;

    @AfterEach
    void stop() {
        if (child != null) child.destroyForcibly();
        if (cluster != null) cluster.close();
    }

    @Test
    void aNodeKilledWhileCallsRingLeavesThemToTheSurvivorWhoEndsAndReportsEachOnce() throws Exception {
        long t0 = System.nanoTime();
        cluster = new Cluster(Files.createDirectories(dir.resolve("data")), Clock.system(), ANSWER_TIMEOUT, LEASE);
        Switchboard survivor = cluster.start("node-1", Optional.empty());
        int childPort = Cluster.freePort();
        Path config = dir.resolve("node-2.yaml");
        Files.writeString(config, cluster.childConfig("node-2", childPort));
        Path log = dir.resolve("node-2.log");
        child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("switchboard.jar"), "serve", "--config", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        awaitReady(childPort, log);

        phase("node-2 ready", t0);
        cluster.botEndpoint.answerWith(503); // the bot is down: its notifications wait, leased
        RawGraph viaChild = new RawGraph("http://127.0.0.1:" + childPort);
        Map<String, String> callerLegs = new LinkedHashMap<>(); // caller leg → call chain
        for (int i = 0; i < CALLS; i++) {
            JsonNode placed = viaChild.placeCall(cluster.token(cluster.caller), cluster.bot.id(),
                    cluster.callerEndpoint.url());
            callerLegs.put(placed.path("id").asText(), placed.path("callChainId").asText());
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> leasesOf("node-2") > 0);

        phase(CALLS + " calls placed on node-2", t0);
        child.destroyForcibly(); // SIGKILL
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isEqualTo(137);
        int heldByTheDead = leasesOf("node-2");
        cluster.botEndpoint.answerWith(202);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> callerLegs.keySet().stream().allMatch(leg -> ended(cluster.callerEndpoint.forCall(leg))));
        phase("every caller heard its call end", t0);
        RawGraph viaSurvivor = cluster.graph(survivor);
        List<String> botLegs = new ArrayList<>();
        for (Map.Entry<String, String> call : callerLegs.entrySet()) {
            Notification offered = cluster.botEndpoint.awaitIncoming(call.getValue());
            String botLeg = offered.callId();
            botLegs.add(botLeg);
            Notification botEnd = ClusterTest.awaitDeleted(cluster.botEndpoint, botLeg);
            List<Notification> bot = ClusterTest.distinct(cluster.botEndpoint.forCall(botLeg));
            List<Notification> caller = ClusterTest.distinct(cluster.callerEndpoint.forCall(call.getKey()));
            assertThat(bot).extracting(Notification::summary).containsExactly("created:incoming", "deleted:terminated");
            assertThat(botEnd.result()).startsWith("408/8544");
            assertThat(caller).extracting(Notification::summary, Notification::result)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("deleted:terminated", botEnd.result()));
            assertThat(viaSurvivor.call(botLeg, cluster.token(cluster.bot)).path("state").asText()).isEqualTo("terminated");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> undelivered() == 0);
        System.out.printf("node-2 held %d calls' notifications when killed; node-1 delivered all %d calls' ends%n",
                heldByTheDead, botLegs.size());
        // reported, not asserted (tests do not assert timings): how late the survivor fired each deadline
        List<Long> late = cluster.query("SELECT e.at - c.created_at - " + ANSWER_TIMEOUT.toMillis()
                + " FROM calls c JOIN call_events e ON e.call_id = c.id"
                + " WHERE e.kind = 'transition' AND e.detail LIKE '%(timedOut)%' ORDER BY 1", rows -> {
            List<Long> millis = new ArrayList<>();
            try {
                while (rows.next()) millis.add(rows.getLong(1));
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
            return millis;
        });
        assertThat(late).as("every leg timed out once").hasSize(2 * CALLS);
        System.out.printf("timeouts fired after their deadline by: min %d ms, median %d ms, max %d ms%n",
                late.get(0), late.get(late.size() / 2), late.get(late.size() - 1));
    }

    private static void phase(String what, long t0) {
        System.out.printf("%6d ms  %s%n", (System.nanoTime() - t0) / 1_000_000, what);
    }

    private int leasesOf(String node) {
        return cluster.count("SELECT count(*) FROM delivery_leases WHERE node = '" + node + "'");
    }

    private int undelivered() {
        return cluster.count("SELECT count(*) FROM outbox WHERE delivered_at IS NULL");
    }

    private static boolean ended(List<Notification> heard) {
        return heard.stream().anyMatch(n -> n.changeType().equals("deleted"));
    }

    private void awaitReady(int port, Path log) {
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (!child.isAlive()) throw new IllegalStateException("node-2 exited:\n" + Files.readString(log));
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }
}
