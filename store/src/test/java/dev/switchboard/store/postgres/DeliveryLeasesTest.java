package dev.switchboard.store.postgres;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.calls.Notice;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.ClaimedNotifications;
import dev.switchboard.core.store.OutboxClaim;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.store.TestCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.store.Legs.callingBackTo;
import static dev.switchboard.store.Legs.placing;
import static dev.switchboard.store.Legs.ringing;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes sharing one PostgreSQL outbox, each with a store of its own (its own pool), as in a
 * cluster: a call's notifications are granted to one node at a time, a dead node's calls pass on when
 * their lease ends, and each node hears the other's commits.
 */
class DeliveryLeasesTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(10);

    private PostgresSettings database;
    private CallStore nodeA;
    private CallStore nodeB;

    @BeforeAll
    static void startServer() {
        EmbeddedPostgresServer.server();
    }

    @BeforeEach
    void twoNodes() {
        database = EmbeddedPostgresServer.freshSchema(4);
        nodeA = PostgresCallStore.open(database, new TestCodec(), new ManualClock(T0));
        nodeB = PostgresCallStore.open(database, new TestCodec(), new ManualClock(T0));
    }

    @AfterEach
    void close() {
        nodeA.close();
        nodeB.close();
    }

    @Test
    void aCallIsGrantedToOneNodeUntilItsLeaseRunsOutThenTakenOverFromItsOldestRow() {
        ring(nodeA, "x", "m1");
        assertThat(ids(claim(nodeA, "a", 0, T0))).containsExactly("m1");
        long cursor = notify(nodeB, "x", "m2");

        assertThat(ids(claim(nodeB, "b", 0, T0.plusSeconds(9)))).isEmpty();
        assertThat(ids(claim(nodeA, "a", cursor - 1, T0.plusSeconds(1)))).as("the holder is granted its call's new rows")
                .containsExactly("m1", "m2");
        // node a stops renewing (it died): once its lease has run out, b takes the call from its oldest row
        assertThat(ids(claim(nodeB, "b", cursor, T0.plusSeconds(12)))).as("nothing after the cursor").isEmpty();
        assertThat(ids(claim(nodeB, "b", 0, T0.plusSeconds(12)))).containsExactly("m1", "m2");
        assertThat(ids(claim(nodeA, "a", 0, T0.plusSeconds(12)))).as("the old holder lost it").isEmpty();
    }

    @Test
    void renewingKeepsACallAndOnlyTheHolderCanRenew() {
        ring(nodeA, "x", "m1");
        claim(nodeA, "a", 0, T0);
        nodeB.renewClaims("b", List.of("x"), T0.plus(Duration.ofHours(1)));
        nodeA.renewClaims("a", List.of("x"), T0.plusSeconds(30));

        assertThat(ids(claim(nodeB, "b", 0, T0.plusSeconds(29)))).isEmpty();
        assertThat(ids(claim(nodeB, "b", 0, T0.plusSeconds(31)))).containsExactly("m1");
    }

    @Test
    void deliveringACallsLastRowReleasesItSoAnotherNodeGetsItsNextRowAtOnce() {
        ring(nodeA, "x", "m1");
        PendingNotification first = claim(nodeA, "a", 0, T0).notifications().get(0);
        await(nodeA.write(tx -> {
            tx.delivered(first.seq(), T0);
            return null;
        }));
        notify(nodeA, "x", "m2");

        assertThat(ids(claim(nodeB, "b", 0, T0.plusSeconds(1)))).containsExactly("m2");
        assertThat(ids(claim(nodeA, "a", 0, T0.plusSeconds(1)))).isEmpty();
    }

    @Test
    void aFailedDeliveryKeepsTheLeaseWithTheNodeThatRetries() {
        ring(nodeA, "x", "m1");
        PendingNotification first = claim(nodeA, "a", 0, T0).notifications().get(0);
        await(nodeA.write(tx -> {
            tx.deferred(first.seq(), T0.plusSeconds(1), "bot down");
            return null;
        }));
        assertThat(ids(claim(nodeB, "b", 0, T0.plusSeconds(5)))).isEmpty();
        assertThat(ids(claim(nodeA, "a", 0, T0.plusSeconds(5)))).containsExactly("m1");
    }

    @Test
    void aSipLegsRowsGoOnlyToTheNodeHoldingTheLeg() {
        Call sipLeg = callingBackTo(placing("s", "chain-s", T0), "switchboard-sip://a");
        await(nodeA.write(tx -> {
            tx.insert(sipLeg);
            tx.enqueue(new Notice(ChangeType.UPDATED, sipLeg), "m1", T0);
            return null;
        }));
        assertThat(ids(claim(nodeB, "b", 0, T0))).isEmpty();
        assertThat(ids(claim(nodeA, "a", 0, T0))).containsExactly("m1");
    }

    /** Many calls, both nodes claiming at once over and over: no call is ever granted to both. */
    @Test
    void concurrentClaimsGrantEachCallToExactlyOneNode() throws Exception {
        for (int i = 0; i < 200; i++) ring(i % 2 == 0 ? nodeA : nodeB, "x" + i, "m" + i);
        Map<String, List<String>> grantedTo = Collections.synchronizedMap(new HashMap<>());
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        try {
            for (int t = 0; t < 8; t++) {
                CallStore store = t % 2 == 0 ? nodeA : nodeB;
                String node = t % 2 == 0 ? "a" : "b";
                runs.add(threads.submit(() -> {
                    start.await();
                    for (int round = 0; round < 20; round++) {
                        for (PendingNotification n : claim(store, node, 0, T0).notifications()) {
                            grantedTo.computeIfAbsent(n.callId(), id -> new CopyOnWriteArrayList<>()).add(node);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> run : runs) run.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertThat(grantedTo).hasSize(200);
        grantedTo.forEach((call, nodes) -> assertThat(Set.copyOf(nodes)).as(call).hasSize(1));
    }

    /**
     * One node marks batches of deliveries in shuffled order (the order attempts end in) while the
     * other claims the same calls over and over: lease rows are locked in one order by both, so
     * neither ever fails on a deadlock (which would lose a batch's delivered marks to a rollback).
     */
    @Test
    void batchesOfDeliveriesAndClaimsFromAnotherNodeNeverDeadlock() throws Exception {
        List<Long> seqs = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            ring(nodeA, "x" + i, "m" + i);
            notify(nodeA, "x" + i, "n" + i);
        }
        for (PendingNotification n : claim(nodeA, "a", 0, T0).notifications()) seqs.add(n.seq());
        Collections.shuffle(seqs, new java.util.Random(7));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            Future<?> claims = threads.submit(() -> {
                for (int round = 0; round < 60; round++) claim(nodeB, "b", 0, T0.plusSeconds(1));
                return null;
            });
            List<Future<?>> batches = new ArrayList<>();
            for (int from = 0; from < seqs.size(); from += 12) {
                List<Long> batch = seqs.subList(from, Math.min(seqs.size(), from + 12));
                batches.add(threads.submit(() -> await(nodeA.write(tx -> {
                    for (long seq : batch) tx.delivered(seq, T0);
                    return null;
                }))));
            }
            for (Future<?> batch : batches) batch.get(60, TimeUnit.SECONDS);
            claims.get(60, TimeUnit.SECONDS);
        } finally {
            threads.shutdownNow();
        }
        assertThat(nodeA.pending(0, T0, 1000)).isEmpty();
        assertThat(ids(claim(nodeB, "b", 0, T0.plusSeconds(1)))).isEmpty();
        // two batches delivering a call's two rows at once each see the other's row pending and keep the
        // lease: such idle leases last no longer than the lease, when the next full read drops them
        claim(nodeB, "b", 0, T0.plus(LEASE).plusSeconds(1));
        assertThat(leases()).isZero();
    }

    private int leases() throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(database.url(), database.user(), null);
             java.sql.ResultSet rows = c.createStatement().executeQuery("SELECT count(*) FROM delivery_leases")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void eachNodeHearsTheOthersCommitsWithTheirLowestSeq() throws Exception {
        LinkedBlockingQueue<Long> heardByB = new LinkedBlockingQueue<>();
        nodeB.onOutbox(heardByB::add);
        Thread.sleep(300); // the listening connection is opened in the background; LISTEN must come first
        Call leg = ringing("x", "chain-x", T0);
        await(nodeA.write(tx -> {
            tx.insert(leg);
            tx.enqueue(new Notice(ChangeType.CREATED, leg), "m1", T0);
            tx.enqueue(new Notice(ChangeType.UPDATED, leg), "m2", T0);
            return null;
        }));
        long lowest = nodeA.pending(0, T0, 10).get(0).seq();

        Long heard = heardByB.poll(10, TimeUnit.SECONDS);
        assertThat(heard).isEqualTo(lowest);
        await(nodeA.write(tx -> tx.get("x"))); // a commit without outbox rows signals nothing
        assertThat(heardByB.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    private static void ring(CallStore store, String callId, String messageId) {
        Call leg = ringing(callId, "chain-" + callId, T0);
        await(store.write(tx -> {
            tx.insert(leg);
            tx.enqueue(new Notice(ChangeType.CREATED, leg), messageId, T0);
            return null;
        }));
    }

    /** Adds a notification to an existing call; returns its seq. */
    private static long notify(CallStore store, String callId, String messageId) {
        await(store.write(tx -> {
            tx.enqueue(new Notice(ChangeType.UPDATED, tx.get(callId).orElseThrow()), messageId, T0);
            return null;
        }));
        return store.pending(0, T0, 1000).stream().filter(n -> n.messageId().equals(messageId)).findFirst()
                .orElseThrow().seq();
    }

    private static ClaimedNotifications claim(CallStore store, String node, long after, Instant now) {
        return store.claim(new OutboxClaim(node, after, 500, now, now.plus(LEASE), Set.of("switchboard-sip://" + node)));
    }

    private static List<String> ids(ClaimedNotifications claimed) {
        return claimed.notifications().stream().map(PendingNotification::messageId).toList();
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> future) {
        return future.join();
    }
}
