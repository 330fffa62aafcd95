package dev.switchboard.core.store;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongConsumer;

/**
 * Durable state: calls, their outbox of notifications and their timelines. One port, one adapter per
 * engine (an SQLite file by default).
 *
 * <p>All changes go through {@link #write}: the work runs inside a transaction, and the returned
 * future completes only once that transaction is durably committed, so "202 means durable". An
 * adapter may commit several works together (group commit); each work still succeeds or fails on its
 * own.
 */
public interface CallStore extends CallHistory {

    /**
     * Runs {@code work} in a transaction and completes with its result after the commit. If the work
     * throws, nothing it wrote is kept and the future completes with that exception; a
     * {@link StaleWriteException} means another writer got there first and the work may be run again.
     */
    <T> CompletableFuture<T> write(Function<CallWrites, T> work);

    /**
     * The legs {@code ownerAppId} holds in {@code state}, oldest first: what a restarted node looks
     * for among its own. It reads every leg of that app, so it is for start-up, not for each call.
     */
    List<Call> held(String ownerAppId, CallState state, int limit);

    /** What {@link CallWrites#keepDialog} kept for leg {@code callId}, if anything. */
    Optional<String> dialog(String callId);

    /** Incoming legs whose answer deadline is at or before {@code upTo}, soonest first. */
    List<String> dueBy(Instant upTo, int limit);

    /** The soonest answer deadline of any ringing leg. */
    Optional<Instant> nextDeadline();

    /**
     * Notifications not yet delivered whose next attempt is due, in the order they were written,
     * starting after {@code afterSeq}.
     */
    List<PendingNotification> pending(long afterSeq, Instant dueBy, int limit);

    /**
     * Grants {@code claim.node()} the calls whose undelivered notifications it may send now, and
     * returns those notifications. A call is granted to one node at a time, until its lease ends or its
     * last notification is marked delivered; the holder is granted it again while its lease runs.
     * An adapter that only one node can use (an SQLite file) grants every call to whoever asks.
     */
    ClaimedNotifications claim(OutboxClaim claim);

    /** Extends the leases {@code node} holds on {@code callIds} to {@code until}; leases it lost stay lost. */
    void renewClaims(String node, Collection<String> callIds, Instant until);

    /** Runs {@code listener} after each commit, off the committing thread's critical path. */
    void onCommit(Runnable listener);

    /**
     * Runs {@code listener} with the lowest seq that a commit added to the outbox, for commits whose
     * rows may become visible out of seq order (another node's, or another connection's): a reader
     * keeping a cursor past that seq should look again from there. Adapters whose seqs always become
     * visible in order never call it.
     */
    void onOutbox(LongConsumer listener);

    /**
     * Hands {@code listener} the notifications each commit added to the outbox, once that commit is
     * durable: one list per commit, in commit order, each in seq order and equal to what
     * {@link #pending} would read back. A dispatcher in the same process then learns of new rows
     * without reading them again.
     *
     * <p>Only an adapter that sees every write to its outbox can do this. One that other processes
     * write too (PostgreSQL) returns false and never calls the listener; its readers find new rows
     * through {@link #onCommit}, {@link #onOutbox} and {@link #claim}.
     *
     * @return whether the listener will be called
     */
    default boolean onNotifications(Consumer<List<PendingNotification>> listener) {
        return false;
    }

    /** Whether the store can take writes now (readiness). */
    boolean healthy();
}
