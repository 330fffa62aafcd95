package dev.switchboard.core.calls;

import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.ClockedLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fires the 15-second rule. Deadlines are data: this thread asks the store for the soonest one,
 * waits for it, and applies {@link Command.Timeout} to every leg that is due. A timeout that loses a
 * race to a reject is simply not due any more. After a restart the same rows drive the same
 * timeouts, and deadlines that passed while the server was down fire at once.
 */
public final class Deadlines implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);
    // a new call's deadline is never sooner than this, so polling replaces a wake-up per commit
    private static final long MAX_WAIT_MILLIS = 100;
    private static final int BATCH = 500;

    private final CallStore store;
    private final CallActions actions;
    private final Clock clock;
    private final ClockedLoop loop;
    private boolean failing;  // the loop's thread only

    public Deadlines(CallStore store, CallActions actions, Clock clock) {
        this.store = store;
        this.actions = actions;
        this.clock = clock;
        this.loop = new ClockedLoop("switchboard-deadlines", clock, this::sweep);
    }

    public Deadlines start() {
        loop.start();
        return this;
    }

    /** Times out every leg due now; returns how many timed out. Also what the thread runs. */
    public int fireDue() {
        int fired = 0;
        while (true) {
            List<String> due = store.dueBy(clock.now(), BATCH);
            if (due.isEmpty()) return fired;
            CompletableFuture<?>[] all = due.stream()
                    .map(id -> actions.execute(new Command.Timeout(id)))
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(all).join();
            for (CompletableFuture<?> f : all) {
                if (f.join() instanceof Verdict.Applied) fired++;
            }
            if (due.size() < BATCH) return fired;
        }
    }

    /** Fires what is due and returns when to look again: the soonest deadline, at most 100 ms away. */
    private Instant sweep(Instant now) {
        Instant poll = now.plusMillis(MAX_WAIT_MILLIS);
        try {
            fireDue();
            if (failing) LOG.info("deadline sweep works again");
            failing = false;
            return store.nextDeadline().filter(poll::isAfter).orElse(poll);
        } catch (RuntimeException e) {
            // once per outage: a database that is gone for a minute must not write 600 stack traces
            if (!failing) LOG.warn("deadline sweep failed; retrying every {} ms until it works", MAX_WAIT_MILLIS, e);
            failing = true;
            return poll;
        }
    }

    @Override
    public void close() {
        loop.close();
    }
}
