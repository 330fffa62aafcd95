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
import static org.awaitility.Awaitility.await;

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

    /** Started, it sweeps at once and then whenever ten minutes of its clock have passed, not before. */
    @Test
    void aStartedRetentionSweepsAtOnceAndThenEveryTenMinutesOfItsClock() throws Exception {
        ManualClock clock = new ManualClock(T0);
        try (CallStore store = SqliteCallStore.open(dir.resolve("calls.db"), new TestCodec(), clock)) {
            Legs.rejectedIn(store, "first", T0.minus(WEEK).minusSeconds(1));
            Legs.rejectedIn(store, "second", T0.minus(WEEK).plus(Duration.ofMinutes(5)));
            try (Retention retention = new Retention(store, WEEK, clock).start()) {
                await().until(() -> store.find("first").isEmpty());

                clock.advance(Duration.ofMinutes(9));
                // the second ended over a week ago now, but the next sweep is due at 10 minutes; the
                // jump wakes the loop, and it looks at the clock at least once a second besides
                await().during(Duration.ofMillis(1_500)).atMost(Duration.ofSeconds(5))
                        .until(() -> store.find("second").isPresent());

                clock.advance(Duration.ofMinutes(1));
                await().until(() -> store.find("second").isEmpty());
            }
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
