package dev.switchboard.store.sqlite;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.Retention;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.store.Legs;
import dev.switchboard.store.TestCodec;
import dev.switchboard.store.sql.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link SqliteCompaction} on a real file: what retention frees goes back to the disk, and only from a stopped store. */
class SqliteCompactionTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void aStoreThatForgotMostOfItsCallsShrinksAndKeepsTheRest() throws Exception {
        Path file = dir.resolve("calls.db");
        ManualClock clock = new ManualClock(T0);
        try (CallStore store = SqliteCallStore.open(file, new TestCodec(), clock)) {
            for (int i = 0; i < 2_000; i++) Legs.rejectedIn(store, "old-" + i, T0);
            Legs.rejectedIn(store, "kept", T0.plus(Duration.ofDays(6)));
            clock.advance(Duration.ofDays(8));
            assertThat(new Retention(store, Duration.ofDays(7), clock).sweep()).isEqualTo(2_000);
        }

        SqliteCompaction.Result result = SqliteCompaction.compact(file);

        assertThat(result.bytesAfter()).as("the forgotten calls' pages are given back")
                .isLessThan(result.bytesBefore() / 4);
        assertThat(Files.size(file)).isEqualTo(result.bytesAfter());
        try (CallStore store = SqliteCallStore.open(file, new TestCodec(), clock)) {
            assertThat(store.find("kept")).map(Call::id).contains("kept");
            assertThat(store.find("old-0")).isEmpty();
            Legs.rejectedIn(store, "after", T0.plus(Duration.ofDays(8)));
            assertThat(store.find("after")).isPresent();
        }
    }

    @Test
    void aStoreAServerHasOpenIsRefusedAndLeftAlone() throws Exception {
        Path file = dir.resolve("calls.db");
        try (CallStore store = SqliteCallStore.open(file, new TestCodec(), new ManualClock(T0))) {
            Legs.rejectedIn(store, "live", T0);
            long before = Files.size(file);

            assertThatThrownBy(() -> SqliteCompaction.compact(file))
                    .isInstanceOf(StoreException.class)
                    .hasMessageContaining("in use by another Switchboard");

            assertThat(Files.size(file)).isEqualTo(before);
            assertThat(store.find("live")).isPresent();
        }
    }

    @Test
    void aPathWithNoStoreIsRefusedWithoutCreatingOne() {
        Path file = dir.resolve("missing.db");

        assertThatThrownBy(() -> SqliteCompaction.compact(file))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("no store at");
        assertThat(file).doesNotExist();
    }
}
