package dev.switchboard.core.time;

import java.time.Instant;

/**
 * The time as Switchboard sees it. Injected everywhere a deadline or timestamp is computed, so that
 * tests move time instead of waiting for it.
 */
public interface Clock {

    Instant now();

    /**
     * Runs {@code listener} whenever this clock jumps (a test advancing a {@link ManualClock}); a
     * real clock never jumps, so the default does nothing.
     */
    default void onJump(Runnable listener) {
    }

    static Clock system() {
        return Instant::now;
    }
}
