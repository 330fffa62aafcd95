package dev.switchboard.core.store;

import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.ClockedLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Keeps the store from growing without end: every {@link #SWEEP_EVERY} of the injected clock it
 * forgets the conversations that ended more than {@code keep} ago and have nothing left to deliver
 * ({@link CallWrites#purge}). Without it every call stays, about 10 KB of legs, notifications and
 * timeline each. A sweep goes in steps of at most {@link #STEP} legs, each a write of its own, so the
 * calls being set up meanwhile wait behind one small step at most (a few milliseconds on SQLite),
 * never behind the whole sweep.
 *
 * <pre>{@code
 * try (Retention retention = new Retention(store, Duration.ofDays(7), clock).start()) {
 *     ...
 * }
 * }</pre>
 */
public final class Retention implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    static final Duration SWEEP_EVERY = Duration.ofMinutes(10);
    static final int STEP = 50;

    private final CallStore store;
    private final Duration keep;
    private final Clock clock;
    private final ClockedLoop loop;
    private Instant nextSweep = Instant.MIN;  // the loop's thread only
    private volatile boolean closing;

    /** @throws IllegalArgumentException if {@code keep} is not positive */
    public Retention(CallStore store, Duration keep, Clock clock) {
        if (keep.isNegative() || keep.isZero()) throw new IllegalArgumentException("keep must be positive: " + keep);
        this.store = Objects.requireNonNull(store, "store");
        this.keep = keep;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.loop = new ClockedLoop("switchboard-retention", clock, this::sweepIfDue);
    }

    /** Sweeps now, on a thread of its own, and then every {@link #SWEEP_EVERY} by the clock. */
    public Retention start() {
        loop.start();
        return this;
    }

    /**
     * Forgets every conversation that ended more than {@code keep} ago and has nothing left to
     * deliver; returns how many legs went. Also what the thread runs.
     *
     * @throws java.util.concurrent.CompletionException if a step's write fails; the steps before it stay done
     */
    public int sweep() {
        Instant endedBefore = clock.now().minus(keep);
        Optional<Purge.Position> after = Optional.empty();
        int legs = 0;
        do {
            Optional<Purge.Position> from = after;
            Purge step = store.write(tx -> tx.purge(endedBefore, from, STEP)).join();
            legs += step.legs();
            after = step.next();
        } while (after.isPresent() && !closing);
        return legs;
    }

    private Instant sweepIfDue(Instant now) {
        if (now.isBefore(nextSweep)) return nextSweep;
        try {
            int legs = sweep();
            if (legs > 0) LOG.info("forgot {} legs of calls that ended more than {} ago", legs, keep);
        } catch (RuntimeException e) {
            // the next sweep tries again; what this one removed stays removed
            LOG.warn("retention sweep failed; trying again in {}", SWEEP_EVERY, e);
        }
        nextSweep = now.plus(SWEEP_EVERY);
        return nextSweep;
    }

    /** Stops after the step in progress, if any. */
    @Override
    public void close() {
        closing = true;
        loop.close();
    }
}
