package dev.switchboard.server.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.fixtures.BotEndpoint;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.RawGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two and three nodes on one PostgreSQL: any node serves any call, and every call ends once. */
class ClusterTest {

    @TempDir
    Path dataDir;
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster == null) return;
        cluster.close();
        assertThat(cluster.callerEndpoint.failures()).isEmpty();
        assertThat(cluster.botEndpoint.failures()).isEmpty();
    }

    @Test
    void aCallPlacedOnOneNodeIsReadOnAnotherAndRejectedOnTheThird() {
        cluster = new Cluster(dataDir, Clock.system(), Duration.ofSeconds(15), Duration.ofSeconds(10));
        Switchboard one = cluster.start("node-1", Optional.empty());
        Switchboard two = cluster.start("node-2", Optional.empty());
        Switchboard three = cluster.start("node-3", Optional.empty());

        JsonNode placed = cluster.graph(one).placeCall(cluster.token(cluster.caller), cluster.bot.id(),
                cluster.callerEndpoint.url());
        String callerLeg = placed.path("id").asText();
        String botLeg = cluster.botEndpoint.awaitIncoming(placed.path("callChainId").asText()).callId();
        assertThat(cluster.graph(three).call(botLeg, cluster.token(cluster.bot)).path("state").asText())
                .isEqualTo("incoming");

        HttpResponse<String> rejected = cluster.graph(two).reject(botLeg, cluster.token(cluster.bot), "{\"reason\":\"busy\"}");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(202);

        Notification callerEnd = awaitDeleted(cluster.callerEndpoint, callerLeg);
        assertThat(callerEnd.result()).isEqualTo("486/0 Busy");
        awaitDeleted(cluster.botEndpoint, botLeg); // each leg's notifications go in order, the two legs independently
        assertThat(distinct(cluster.botEndpoint.forCall(botLeg))).extracting(Notification::summary, Notification::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("created:incoming", ""),
                        org.assertj.core.groups.Tuple.tuple("deleted:terminated", "486/0 Busy"));
        for (Switchboard node : List.of(one, two, three)) {
            assertThat(cluster.graph(node).call(callerLeg, cluster.token(cluster.caller)).path("state").asText())
                    .isEqualTo("terminated");
        }
    }

    /**
     * For each call, at one instant: the bot rejects on node 2, the caller hangs up on node 3, and the
     * shared clock passes the answer deadline, so all three nodes' deadline sweeps fire too. Exactly
     * one of the four wins, every time, and both sides hear that one outcome once (by message id).
     */
    @Test
    void rejectHangupAndTimeoutRacingOnThreeNodesEndEachCallExactlyOnce() throws Exception {
        ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        Duration answerTimeout = Duration.ofSeconds(15);
        // no node dies here: a lease longer than the test keeps each call with the node that took it
        cluster = new Cluster(dataDir, clock, answerTimeout, Duration.ofHours(6));
        List<Switchboard> nodes = List.of(cluster.start("node-1", Optional.empty()),
                cluster.start("node-2", Optional.empty()), cluster.start("node-3", Optional.empty()));
        RawGraph rejectOn = cluster.graph(nodes.get(1));
        RawGraph hangUpOn = cluster.graph(nodes.get(2));
        String botToken = cluster.token(cluster.bot);
        String callerToken = cluster.token(cluster.caller);
        Map<String, Integer> wins = new LinkedHashMap<>();
        ExecutorService racers = Executors.newFixedThreadPool(3);
        try {
            for (int round = 0; round < 30; round++) {
                JsonNode placed = cluster.graph(nodes.get(round % 3)).placeCall(callerToken, cluster.bot.id(),
                        cluster.callerEndpoint.url());
                String callerLeg = placed.path("id").asText();
                String botLeg = cluster.botEndpoint.awaitIncoming(placed.path("callChainId").asText()).callId();

                CountDownLatch go = new CountDownLatch(1);
                CompletableFuture<Integer> reject = CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    return rejectOn.reject(botLeg, botToken, "{\"reason\":\"busy\"}").statusCode();
                }, racers);
                CompletableFuture<Integer> hangUp = CompletableFuture.supplyAsync(() -> {
                    awaitQuietly(go);
                    return hangUpOn.delete(RawGraph.CALLS + "/" + callerLeg, callerToken).statusCode();
                }, racers);
                CompletableFuture<Void> deadline = CompletableFuture.runAsync(() -> {
                    awaitQuietly(go);
                    // an HTTP request takes milliseconds to reach its node; the clock's jump does not
                    awaitQuietly(new CountDownLatch(0));
                    clock.advance(answerTimeout);
                }, racers);
                go.countDown();
                int rejected = reject.get(30, TimeUnit.SECONDS);
                int hungUp = hangUp.get(30, TimeUnit.SECONDS);
                deadline.get(30, TimeUnit.SECONDS);

                String botResult = awaitDeleted(cluster.botEndpoint, botLeg).result();
                String callerResult = awaitDeleted(cluster.callerEndpoint, callerLeg).result();
                String winner = botResult.startsWith("486/") ? "reject" : botResult.startsWith("408/") ? "timeout" : "hangUp";
                wins.merge(winner, 1, Integer::sum);
                assertThat(rejected).as("reject %s answered, bot leg ended %s", rejected, botResult)
                        .isEqualTo(winner.equals("reject") ? 202 : 404);
                assertThat(hungUp).as("hang-up %s answered, caller leg ended %s", hungUp, callerResult)
                        .isEqualTo(winner.equals("hangUp") ? 204 : 404);
                if (!winner.equals("hangUp")) assertThat(callerResult).isEqualTo(botResult);
                // each leg's end was heard once (redeliveries would carry the same id), nothing after it
                for (String leg : List.of(botLeg, callerLeg)) {
                    BotEndpoint endpoint = leg.equals(botLeg) ? cluster.botEndpoint : cluster.callerEndpoint;
                    List<Notification> heard = distinct(endpoint.forCall(leg));
                    assertThat(heard.stream().filter(n -> n.changeType().equals("deleted"))).hasSize(1);
                    assertThat(heard.get(heard.size() - 1).changeType()).isEqualTo("deleted");
                }
            }
        } finally {
            racers.shutdownNow();
        }
        System.out.println("winners over 30 rounds: " + wins);
        assertThat(wins.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(30);
    }

    static Notification awaitDeleted(BotEndpoint endpoint, String callId) {
        return endpoint.awaitFirst(n -> n.callId().equals(callId) && n.changeType().equals("deleted"));
    }

    /** Notifications with their redeliveries dropped, as a bot that de-duplicates by message id sees them. */
    static List<Notification> distinct(List<Notification> received) {
        Map<String, Notification> first = new LinkedHashMap<>();
        for (Notification n : received) first.putIfAbsent(n.messageId(), n);
        return List.copyOf(first.values());
    }

    /** Waits for {@code latch}, then up to 10 ms more, so that the racers start in a different order each round. */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
            java.util.concurrent.locks.LockSupport.parkNanos(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(10)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
