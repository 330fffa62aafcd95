package dev.switchboard.core.time;

import java.time.Duration;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * A daemon thread that runs a step whenever the injected {@link Clock} says it is due, and at once when
 * woken (the clock jumped, or an answer changed what is due). The step gets the time and returns when
 * it wants to run next, and is also called on every look at the clock (at least once a second), so
 * it must itself tell whether anything is due. It does its own locking. What the SIP trunk's
 * registration and keep-alive and the store's retention share: tests move a {@link ManualClock}
 * instead of waiting, and a real clock never jumps.
 *
 * <pre>{@code
 * Instant[] due = {Instant.MIN};
 * ClockedLoop loop = new ClockedLoop("sweeper", clock, now -> {
 *     if (!now.isBefore(due[0])) { sweep(); due[0] = now.plus(Duration.ofMinutes(10)); }
 *     return due[0];
 * });
 * loop.start();   // runs the step at once, then when it is due
 * loop.close();   // stops after the step in progress
 * }</pre>
 */
public final class ClockedLoop implements AutoCloseable {

    // the longest sleep without a look at the clock: a real clock never jumps, so this bounds the lag
    private static final long LOOK_MILLIS = 1_000;

    private final Clock clock;
    private final UnaryOperator<Instant> step;
    private final Thread thread;
    private boolean woken;  // guarded by this
    private volatile boolean running = true;

    /** @param step given the time, does what is due and returns when to run again */
    public ClockedLoop(String name, Clock clock, UnaryOperator<Instant> step) {
        this.clock = clock;
        this.step = step;
        this.thread = new Thread(this::run, name);
        this.thread.setDaemon(true);
        clock.onJump(this::wake);
    }

    public void start() {
        thread.start();
    }

    /** Runs the step now rather than when it said. */
    public synchronized void wake() {
        woken = true;
        notifyAll();
    }

    private void run() {
        while (running) {
            Instant next = step.apply(clock.now());
            // from the time after the step, which may have taken a while
            long millis = Duration.between(clock.now(), next).toMillis();
            synchronized (this) {
                try {
                    if (!woken) wait(Math.max(1, Math.min(LOOK_MILLIS, millis)));
                } catch (InterruptedException e) {
                    return;
                }
                woken = false;
            }
        }
    }

    /** Stops the thread and waits for it, a few seconds at most. */
    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
