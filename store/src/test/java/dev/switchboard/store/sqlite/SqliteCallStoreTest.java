package dev.switchboard.store.sqlite;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.calls.Notice;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.store.CallStoreContract;
import dev.switchboard.store.Legs;
import dev.switchboard.store.TestCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.switchboard.store.Legs.movedTo;
import static dev.switchboard.store.Legs.ringing;
import static org.awaitility.Awaitility.await;

class SqliteCallStoreTest implements CallStoreContract {

    @TempDir
    Path dir;

    @Override
    public CallStore openStore(Clock clock) {
        return SqliteCallStore.open(dir.resolve("data").resolve("calls.db"), new TestCodec(), clock);
    }

    @Test
    void worksWaitingTogetherShareOneCommit() throws Exception {
        try (CallStore store = openStore(new ManualClock(T0))) {
            HeldWriter held = new HeldWriter(store);
            AtomicInteger commits = new AtomicInteger();
            store.onCommit(commits::incrementAndGet);
            List<CompletableFuture<Object>> waiting = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                waiting.add(insert(store, "c" + i));
            }
            held.release();

            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            held.holder.get(30, TimeUnit.SECONDS);
            // the holder's own commit, then the 200 that waited behind it
            assertThat(commits.get()).isLessThanOrEqualTo(2);
            assertThat(store.recent(500)).hasSize(200);
        }
    }

    /*
     * Three works share one commit (they wait behind a held one); the failing one's row must not be
     * handed over, and what is handed over must be what a read finds, sub-millisecond times included.
     */
    @Test
    void eachCommitHandsOverTheRowsItsKeptWorksAddedAsAReadFindsThem() throws Exception {
        try (CallStore store = openStore(new ManualClock(T0))) {
            List<List<PendingNotification>> handed = new CopyOnWriteArrayList<>();
            assertThat(store.onNotifications(handed::add)).isTrue();
            Call a = ringing("a", "chain-a", T0);
            Call b = ringing("b", "chain-b", T0);
            HeldWriter held = new HeldWriter(store);
            CompletableFuture<Object> kept = store.write(tx -> {
                tx.insert(a);
                tx.enqueue(new Notice(ChangeType.CREATED, a), "m1", T0.plusNanos(1_500_000));
                tx.enqueue(new Notice(ChangeType.UPDATED, a), "m2", T0.plusSeconds(1));
                return null;
            });
            CompletableFuture<Object> failing = store.write(tx -> {
                tx.insert(b);
                tx.enqueue(new Notice(ChangeType.CREATED, b), "m-lost", T0);
                throw new IllegalStateException("boom");
            });
            CompletableFuture<Object> alsoKept = store.write(tx -> {
                tx.enqueue(new Notice(ChangeType.UPDATED, movedTo(a, CallState.ESTABLISHED, T0)), "m3", T0);
                return null;
            });
            held.release();
            kept.get(30, TimeUnit.SECONDS);
            alsoKept.get(30, TimeUnit.SECONDS);
            assertThat(failing).isCompletedExceptionally();
            store.write(tx -> {
                tx.enqueue(new Notice(ChangeType.UPDATED, a), "m4", T0);
                return null;
            }).get(30, TimeUnit.SECONDS);

            await().until(() -> handed.size() == 2);
            assertThat(handed.get(0)).extracting(PendingNotification::messageId).containsExactly("m1", "m2", "m3");
            assertThat(handed.get(1)).extracting(PendingNotification::messageId).containsExactly("m4");
            // the failed work's seq is taken back, as SQLite takes back AUTOINCREMENT's on a rollback
            assertThat(handed.get(0).get(2).seq()).isEqualTo(handed.get(0).get(1).seq() + 1);
            assertThat(handed.stream().flatMap(List::stream).toList())
                    .isEqualTo(store.pending(0, T0.plusSeconds(60), 10));
        }
    }

    /** The writer numbers outbox rows itself, so a reopened file must go on past every seq it holds. */
    @Test
    void aReopenedFileNumbersNewRowsAfterTheOldOnes() throws Exception {
        Call a = ringing("a", "chain-a", T0);
        try (CallStore store = openStore(new ManualClock(T0))) {
            store.write(tx -> {
                tx.enqueue(new Notice(ChangeType.CREATED, a), "m1", T0);
                tx.enqueue(new Notice(ChangeType.UPDATED, a), "m2", T0);
                return null;
            }).get(30, TimeUnit.SECONDS);
        }
        try (CallStore store = openStore(new ManualClock(T0))) {
            List<List<PendingNotification>> handed = new CopyOnWriteArrayList<>();
            store.onNotifications(handed::add);
            store.write(tx -> {
                tx.enqueue(new Notice(ChangeType.DELETED, movedTo(a, CallState.ESTABLISHED, T0)), "m3", T0);
                return null;
            }).get(30, TimeUnit.SECONDS);

            await().until(() -> handed.size() == 1);
            List<PendingNotification> all = store.pending(0, T0, 10);
            assertThat(all).extracting(PendingNotification::messageId).containsExactly("m1", "m2", "m3");
            assertThat(handed.get(0)).containsExactly(all.get(2));
            assertThat(all.get(2).seq()).isGreaterThan(all.get(1).seq());
        }
    }

    /*
     * The delay is set far longer than the test, so what is counted is the writer's choice to wait
     * and not how fast this machine is. The writer's thread state shows when it is waiting for more.
     */
    @Test
    void aBusyWriterWaitsForMoreWorksAndCommitsThemTogether() throws Exception {
        try (CallStore store = openWithALongDelay()) {
            AtomicInteger commits = new AtomicInteger();
            store.onCommit(commits::incrementAndGet);
            busy(store);
            // listeners run after a commit's futures complete, so wait for the two commits to be counted
            await().until(() -> commits.get() == 2);

            CompletableFuture<Object> first = insert(store, "a");
            await().until(SqliteCallStoreTest::writerWaitsWithATimeout);
            CompletableFuture<Object> second = insert(store, "b");
            CompletableFuture<Object> third = insert(store, "c");

            CompletableFuture.allOf(first, second, third).get(30, TimeUnit.SECONDS);
            // one completion thread runs commits' callbacks in order: had "a" or "b" committed on
            // its own, its commit would be counted before "c" completed, making at least 4
            await().until(() -> commits.get() >= 3);
            assertThat(commits.get()).isEqualTo(3);
            assertThat(store.recent(10)).extracting(Call::id).contains("a", "b", "c");
        }
    }

    @Test
    void anIdleWriterCommitsALoneWorkWithoutWaiting() throws Exception {
        try (CallStore store = openWithALongDelay()) {
            insert(store, "lone").get(30, TimeUnit.SECONDS);

            assertThat(store.find("lone")).isPresent();
        }
    }

    /** A store whose busy writer waits up to five minutes for a third work. */
    private CallStore openWithALongDelay() {
        return SqliteCallStore.open(dir.resolve("calls.db"), new TestCodec(), new ManualClock(T0),
                new CommitDelay(Duration.ofMinutes(5), 3));
    }

    /**
     * Holds the writer with one work, queues two behind it and lets go: two commits, the last of
     * which carried two works.
     */
    private static void busy(CallStore store) throws Exception {
        HeldWriter held = new HeldWriter(store);
        CompletableFuture<Void> pair = CompletableFuture.allOf(insert(store, "p1"), insert(store, "p2"));
        held.release();
        held.holder.get(30, TimeUnit.SECONDS);
        pair.get(30, TimeUnit.SECONDS);
    }

    /** A work that keeps the writer inside its transaction until released, so later works queue behind it. */
    private static final class HeldWriter {
        private final CountDownLatch released = new CountDownLatch(1);
        final CompletableFuture<Object> holder;

        HeldWriter(CallStore store) throws InterruptedException {
            CountDownLatch writing = new CountDownLatch(1);
            holder = store.write(tx -> {
                writing.countDown();
                try {
                    released.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
        }

        void release() {
            released.countDown();
        }
    }

    private static CompletableFuture<Object> insert(CallStore store, String id) {
        return store.write(tx -> {
            tx.insert(Legs.ringing(id, id, T0));
            return null;
        });
    }

    private static boolean writerWaitsWithATimeout() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("switchboard-store-writer") && t.getState() == Thread.State.TIMED_WAITING);
    }
}
