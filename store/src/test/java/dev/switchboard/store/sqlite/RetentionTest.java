package dev.switchboard.store.sqlite;

import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.Retention;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.store.Legs;
import dev.switchboard.store.TestCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link Retention} on a real store, its days passed on a manual clock. */
class RetentionTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final Duration WEEK = Duration.ofDays(7);

    @TempDir
    Path dir;

    @Test
    void aSweepForgetsEveryCallThatEndedLongerAgoThanKeptAcrossManySteps() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (CallStore store = SqliteCallStore.open(dir.resolve("calls.db"), new TestCodec(), clock)) {
            int old = 450; // many steps' worth, the last one short
            for (int i = 0; i < old; i++) Legs.rejectedIn(store, "old-" + i, T0.plusMillis(i));
            Legs.rejectedIn(store, "recent", T0.plus(Duration.ofDays(2)));
            Retention retention = new Retention(store, WEEK, clock);

            clock.advance(Duration.ofDays(6));
            assertThat(retention.sweep()).as("nothing has been over for a week yet").isZero();

            clock.advance(Duration.ofDays(2));
            assertThat(retention.sweep()).isEqualTo(old);
            assertThat(store.find("old-0")).isEmpty();
            assertThat(store.find("old-" + (old - 1))).isEmpty();
            assertThat(store.find("recent")).isPresent();
            assertThat(retention.sweep()).isZero();
        }
    }

    @Test
    void keepingNothingIsRefused() {
        try (CallStore store = SqliteCallStore.open(dir.resolve("calls.db"), new TestCodec(), new ManualClock(T0))) {
            assertThatThrownBy(() -> new Retention(store, Duration.ZERO, new ManualClock(T0)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
