package dev.switchboard.store.postgres;

import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.calls.Notice;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.store.CallStoreContract;
import dev.switchboard.store.TestCodec;
import dev.switchboard.store.sql.StoreException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.store.Legs.ringing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresCallStoreTest implements CallStoreContract {

    private PostgresSettings database;

    @BeforeAll
    static void startServer() {
        EmbeddedPostgresServer.server();
    }

    @BeforeEach
    void freshSchema() {
        database = EmbeddedPostgresServer.freshSchema(4);
    }

    @Override
    public CallStore openStore(Clock clock) {
        return PostgresCallStore.open(database, new TestCodec(), clock);
    }

    /**
     * Why readers that keep a cursor must read from 0 again now and then: a seq taken first may
     * commit last. Nothing is lost to a reader that starts from 0; each read is in seq order.
     */
    @Test
    void aLowerSeqCommittedLaterAppearsBehindTheCursorButFromZeroInOrder() throws Exception {
        try (CallStore store = openStore(new ManualClock(T0))) {
            CountDownLatch enqueued = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> slow = store.write(tx -> {
                tx.insert(ringing("a", "chain-a", T0));
                tx.enqueue(new Notice(ChangeType.CREATED, ringing("a", "chain-a", T0)), "m-first-taken", T0);
                enqueued.countDown();
                awaitQuietly(release);
                return null;
            });
            assertThat(enqueued.await(10, TimeUnit.SECONDS)).isTrue();
            store.write(tx -> {
                tx.insert(ringing("b", "chain-b", T0));
                tx.enqueue(new Notice(ChangeType.CREATED, ringing("b", "chain-b", T0)), "m-first-committed", T0);
                return null;
            }).get(10, TimeUnit.SECONDS);
            List<PendingNotification> before = store.pending(0, T0, 10);
            assertThat(before).extracting(PendingNotification::messageId).containsExactly("m-first-committed");
            long cursor = before.get(0).seq();

            release.countDown();
            slow.get(10, TimeUnit.SECONDS);

            assertThat(store.pending(cursor, T0, 10)).isEmpty();
            assertThat(store.pending(0, T0, 10)).extracting(PendingNotification::messageId)
                    .containsExactly("m-first-taken", "m-first-committed");
        }
    }

    /** Other nodes write the same outbox, so no one node's commits are the whole of it. */
    @Test
    void doesNotOfferToHandOverRowsSinceItsOwnCommitsAreNotAllOfThem() {
        try (CallStore store = openStore(new ManualClock(T0))) {
            assertThat(store.onNotifications(rows -> {})).isFalse();
        }
    }

    @Test
    void losingTheDatabaseMakesTheStoreUnhealthyUntilItAnswersAgain() throws Exception {
        PostgresSettings own = EmbeddedPostgresServer.freshSchemaOfOwnRole(2);
        try (CallStore store = PostgresCallStore.open(own, new TestCodec(), new ManualClock(T0), 500)) {
            store.write(tx -> { tx.insert(ringing("before", "chain-1", T0)); return null; }).get(10, TimeUnit.SECONDS);
            assertThat(store.healthy()).isTrue();

            EmbeddedPostgresServer.admin("ALTER ROLE " + own.user() + " NOLOGIN");
            EmbeddedPostgresServer.admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '"
                    + own.user() + "'");
            CompletableFuture<Object> lost = store.write(tx -> { tx.insert(ringing("lost", "chain-2", T0)); return null; });
            assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(StoreException.class);
            assertThat(store.healthy()).isFalse();

            EmbeddedPostgresServer.admin("ALTER ROLE " + own.user() + " LOGIN");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!store.healthy() && System.nanoTime() < until) Thread.sleep(20);
            assertThat(store.healthy()).isTrue();
            store.write(tx -> { tx.insert(ringing("after", "chain-3", T0)); return null; }).get(10, TimeUnit.SECONDS);
            assertThat(store.find("after")).isPresent();
            assertThat(store.find("lost")).isEmpty();
        }
    }

    /** Two nodes' stores on one database: the row lock and the compare-and-set hold across pools. */
    @Test
    void twoStoresOnOneDatabaseCountEveryIncrementOnce() throws Exception {
        int threadsPerStore = 8;
        int perThread = 40;
        try (CallStore one = openStore(new ManualClock(T0)); CallStore two = openStore(new ManualClock(T0))) {
            one.write(tx -> { tx.insert(ringing("counter", "chain-1", T0)); return null; }).get(10, TimeUnit.SECONDS);
            List<Thread> threads = new java.util.ArrayList<>();
            java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (CallStore store : List.of(one, two)) {
                for (int t = 0; t < threadsPerStore; t++) {
                    threads.add(new Thread(() -> {
                        try {
                            for (int i = 0; i < perThread; i++) {
                                store.write(tx -> {
                                    tx.update(dev.switchboard.store.Legs.bumped(tx.get("counter").orElseThrow()));
                                    return null;
                                }).get(30, TimeUnit.SECONDS);
                            }
                        } catch (Exception e) {
                            failures.add(e);
                        }
                    }));
                }
            }
            threads.forEach(Thread::start);
            for (Thread thread : threads) thread.join(60_000);
            assertThat(failures).isEmpty();
            assertThat(two.find("counter").orElseThrow().version()).isEqualTo(1 + 2 * threadsPerStore * perThread);
            assertThat(one.timeline("counter")).hasSize(1 + 2 * threadsPerStore * perThread);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
