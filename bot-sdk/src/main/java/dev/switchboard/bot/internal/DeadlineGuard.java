package dev.switchboard.bot.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Fires the fallback of each pending call at its moment (deadline − margin) unless a decision was claimed
 * first. Looks at the injected clock at least every {@link #POLL}, so a clock that jumps (a test's manual
 * clock) is noticed within that time. One daemon thread; thread-safe.
 */
final class DeadlineGuard implements AutoCloseable {

    static final Duration POLL = Duration.ofMillis(20);

    private final InstantSource clock;
    private final Consumer<Pending> onDue;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "switchboard-bot-deadlines");
        t.setDaemon(true);
        return t;
    });

    /** @param onDue runs on the guard's thread after the guard claimed the call; must not block */
    DeadlineGuard(InstantSource clock, Consumer<Pending> onDue) {
        this.clock = clock;
        this.onDue = onDue;
    }

    void watch(Pending p, Instant fireAt) {
        check(p, fireAt);
    }

    private void check(Pending p, Instant fireAt) {
        if (p.claimed()) return;
        Duration left = Duration.between(clock.instant(), fireAt);
        if (left.isNegative() || left.isZero()) {
            if (p.claim()) onDue.accept(p);
            return;
        }
        long wait = Math.max(1, Math.min(left.toMillis(), POLL.toMillis()));
        try {
            timer.schedule(() -> check(p, fireAt), wait, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the bot is closing: nothing more is sent
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
