package dev.switchboard.core.calls;

import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.CallWrites;
import dev.switchboard.core.store.StaleWriteException;
import dev.switchboard.core.time.Clock;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Applies commands to stored calls: read the conversation, let the {@link CallMachine} decide, write
 * the changed legs and their notifications in one transaction. A future completes only after the
 * commit, so whoever acknowledges it acknowledges something durable.
 */
public final class CallActions {

    private static final int MAX_ATTEMPTS = 8;

    private final CallStore store;
    private final CallMachine machine;
    private final Clock clock;
    private final Supplier<String> ids;

    public CallActions(CallStore store, CallMachine machine, Clock clock, Supplier<String> ids) {
        this.store = store;
        this.machine = machine;
        this.clock = clock;
        this.ids = ids;
    }

    /** Places a call; completes with the caller's leg. A retried request gets the leg it placed first. */
    public CompletableFuture<Call> place(PlaceCall request) {
        return retrying(() -> store.write(tx -> {
            Optional<Call> earlier = request.retryKey().filter(PlaceCall.RetryKey::isRetry)
                    .flatMap(k -> tx.placedUnder(k.key())).flatMap(tx::get);
            if (earlier.isPresent()) return earlier.get();
            Verdict.Applied placed = machine.place(request, clock.now());
            persist(tx, placed);
            Call caller = placed.created().get(0);
            // The key is claimed in the same transaction. A retry that finds it taken lost a race to
            // its twin (on another node, say): this attempt is undone and run again, to find the
            // twin's call. A first request keeps its call: SDK clients reuse one client-request-id,
            // so two identical first requests are two calls, and the earlier keeps the key.
            request.retryKey().ifPresent(k -> {
                if (!tx.rememberPlacement(k.key(), caller.id(), caller.createdAt()) && k.isRetry()) {
                    throw new StaleWriteException(caller.id(), caller.version());
                }
            });
            return caller;
        }), 1);
    }

    /**
     * Whether a new call can be stored now. While it cannot, the faces refuse new calls at once (HTTP
     * 503, SIP 503) rather than acknowledge what they could not keep.
     */
    public boolean acceptsCalls() {
        return store.healthy();
    }

    /** The legs {@code ownerAppId} holds in {@code state}, oldest first; see {@link CallStore#held}. */
    public List<Call> held(String ownerAppId, CallState state, int limit) {
        return store.held(ownerAppId, state, limit);
    }

    /** Keeps {@code dialog} beside leg {@code legId}; see {@link CallWrites#keepDialog}. */
    public CompletableFuture<Void> keepDialog(String legId, String dialog) {
        return store.write(tx -> {
            tx.keepDialog(legId, dialog);
            return null;
        });
    }

    /** What was kept beside leg {@code legId}; see {@link CallStore#dialog}. */
    public Optional<String> dialog(String legId) {
        return store.dialog(legId);
    }

    public CompletableFuture<Verdict> execute(Command command) {
        return retrying(() -> store.write(tx -> decideAndPersist(tx, command)), 1);
    }

    /** Runs a write again while it loses a compare-and-set to another writer. */
    private <T> CompletableFuture<T> retrying(Supplier<CompletableFuture<T>> write, int attempt) {
        return write.get().exceptionallyCompose(failure -> {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof StaleWriteException && attempt < MAX_ATTEMPTS) {
                return retrying(write, attempt + 1);
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private Verdict decideAndPersist(CallWrites tx, Command command) {
        Verdict verdict = machine.decide(command, tx.conversationOf(command.callId()), clock.now());
        if (verdict instanceof Verdict.Applied applied) persist(tx, applied);
        return verdict;
    }

    private void persist(CallWrites tx, Verdict.Applied applied) {
        applied.changed().forEach(tx::update);
        applied.created().forEach(tx::insert);
        for (Notice notice : applied.notices()) {
            tx.enqueue(notice, ids.get(), notice.call().updatedAt());
        }
    }
}
