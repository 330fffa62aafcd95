package dev.switchboard.core.calls;

import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

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
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private final Thread thread;
    private volatile boolean running = true;
    private boolean signalled;

    public Deadlines(CallStore store, CallActions actions, Clock clock) {
        this.store = store;
        this.actions = actions;
        this.clock = clock;
        this.thread = new Thread(this::run, "switchboard-deadlines");
        this.thread.setDaemon(true);
        clock.onJump(this::signal);
    }

    public Deadlines start() {
        thread.start();
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

    private void run() {
        boolean failing = false;
        while (running) {
            try {
                fireDue();
                if (failing) LOG.info("deadline sweep works again");
                failing = false;
                Optional<Instant> next = store.nextDeadline();
                long waitMillis = next.map(t -> Duration.between(clock.now(), t).toMillis()).orElse(MAX_WAIT_MILLIS);
                await(Math.max(1, Math.min(waitMillis, MAX_WAIT_MILLIS)));
            } catch (RuntimeException e) {
                // once per outage: a database that is gone for a minute must not write 600 stack traces
                if (!failing) LOG.warn("deadline sweep failed; retrying every {} ms until it works", MAX_WAIT_MILLIS, e);
                failing = true;
                await(MAX_WAIT_MILLIS);
            }
        }
    }

    private void signal() {
        lock.lock();
        try {
            signalled = true;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    private void await(long millis) {
        lock.lock();
        try {
            if (!signalled) wake.await(millis, TimeUnit.MILLISECONDS);
            signalled = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

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
