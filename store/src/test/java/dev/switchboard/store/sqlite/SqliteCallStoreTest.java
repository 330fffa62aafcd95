package dev.switchboard.store.sqlite;

import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.store.CallStoreContract;
import dev.switchboard.store.Legs;
import dev.switchboard.store.TestCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

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
            CountDownLatch writing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Object> holder = store.write(tx -> {
                writing.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            AtomicInteger commits = new AtomicInteger();
            store.onCommit(commits::incrementAndGet);
            List<CompletableFuture<Object>> waiting = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String id = "c" + i;
                waiting.add(store.write(tx -> {
                    tx.insert(Legs.ringing(id, id, T0));
                    return null;
                }));
            }
            release.countDown();

            CompletableFuture.allOf(waiting.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            holder.get(30, TimeUnit.SECONDS);
            // the holder's own commit, then the 200 that waited behind it
            assertThat(commits.get()).isLessThanOrEqualTo(2);
            assertThat(store.recent(500)).hasSize(200);
        }
    }
}
