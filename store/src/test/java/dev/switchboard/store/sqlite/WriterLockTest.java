package dev.switchboard.store.sqlite;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.store.CallHistory;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.time.Clock;
import dev.switchboard.store.TestCodec;
import dev.switchboard.store.sql.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.store.Legs.ringing;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One store writes a file: the writer numbers outbox rows itself, and a second one would collide with it. */
class WriterLockTest {

    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aSecondStoreOnTheFileIsRefusedNamingTheHolderAndTheFirstWritesOn() {
        Path file = dir.resolve("calls.db");
        try (CallStore first = open(file)) {
            insert(first, "a");

            assertThatThrownBy(() -> open(file))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another Switchboard")
                    .hasMessageContaining("pid " + ProcessHandle.current().pid());

            insert(first, "b");
            assertThat(first.recent(10)).extracting(Call::id).containsExactlyInAnyOrder("a", "b");
        }
        try (CallStore reopened = open(file)) {
            assertThat(reopened.recent(10)).hasSize(2);
        }
    }

    @Test
    void anotherProcessIsRefusedWhileOneWritesAndNotAfterItIsKilled() throws Exception {
        Path file = dir.resolve("calls.db");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Holder.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            do {
                line = out.readLine();
                assertThat(line).as("the other process's output").isNotNull();
            } while (!line.equals("open"));

            assertThatThrownBy(() -> open(file))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("pid " + holder.pid());
        } finally {
            holder.destroyForcibly();
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // the operating system let go of the lock with the process: nothing is left to clean up
        try (CallStore after = open(file)) {
            insert(after, "a");
            assertThat(after.recent(10)).hasSize(1);
        }
    }

    @Test
    void aHistoryReadsBesideTheWriterAndSeesItsCommits() {
        Path file = dir.resolve("calls.db");
        try (CallStore store = open(file); CallHistory history = SqliteHistory.open(file, new TestCodec())) {
            insert(store, "a");
            assertThat(history.recent(10)).extracting(Call::id).containsExactly("a");
            assertThat(history.find("a")).isPresent();
            assertThat(history.timeline("a")).isNotEmpty();
        }
    }

    @Test
    void aHistoryOfNoStoreIsAnErrorAndCreatesNothing() {
        Path file = dir.resolve("none.db");
        assertThatThrownBy(() -> SqliteHistory.open(file, new TestCodec()))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("no store at");
        assertThat(Files.exists(file)).isFalse();
    }

    private static CallStore open(Path file) {
        return SqliteCallStore.open(file, new TestCodec(), Clock.system());
    }

    private static void insert(CallStore store, String id) {
        store.write(tx -> {
            tx.insert(ringing(id, "chain-" + id, T0));
            return null;
        }).join();
    }

    /** The other process: opens the store, says so, and holds it until it is killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (CallStore store = open(Path.of(args[0]))) {
                System.out.println("open");
                System.out.flush();
                Thread.sleep(Long.MAX_VALUE);
            }
        }
    }
}
