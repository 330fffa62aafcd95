package dev.switchboard.core.store;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.Conversation;
import dev.switchboard.core.calls.Notice;

import java.time.Instant;
import java.util.Optional;

/** What a unit of work may read and write inside one {@link CallStore#write} transaction. */
public interface CallWrites {

    Optional<Call> get(String callId);

    /** Every leg sharing {@code callChainId}. */
    Conversation conversation(String callChainId);

    /** Every leg of the conversation {@code callId} belongs to; empty when there is no such leg. */
    Conversation conversationOf(String callId);

    void insert(Call call);

    /**
     * Stores {@code call} if the stored version is {@code call.version() - 1}.
     *
     * @throws StaleWriteException if another writer changed the leg first
     */
    void update(Call call);

    /** Adds a notification to the outbox; it is delivered after the commit. */
    void enqueue(Notice notice, String messageId, Instant at);

    /** The call placed earlier under {@code retryKey}, if any. */
    Optional<String> placedUnder(String retryKey);

    /**
     * Remembers that {@code retryKey} placed {@code callId}.
     *
     * @return false if the key was already taken (another request with the same key got there first,
     *         perhaps on another node); the caller then gives up this attempt and looks again
     */
    boolean rememberPlacement(String retryKey, String callId, Instant at);

    void delivered(long seq, Instant at);

    /**
     * Keeps, beside leg {@code callId}, what its signalling needs to end it after a restart (the SIP
     * bridge's dialog, in the bridge's own text), replacing whatever was kept for it before. It goes
     * when the leg is {@linkplain #purge purged}.
     */
    void keepDialog(String callId, String dialog);

    /**
     * Forgets conversations that are over. Looks at up to {@code limit} legs created before
     * {@code endedBefore}, in creation order after {@code after}, and removes each conversation among
     * them whose legs all ended before {@code endedBefore} and whose notifications have all been
     * delivered: its legs, their timelines, notifications, placement keys and kept dialogs. A
     * conversation that is still going, or still has something to deliver, stays whole, and a later
     * step sees it again.
     */
    Purge purge(Instant endedBefore, Optional<Purge.Position> after, int limit);

    void deferred(long seq, Instant nextAttempt, String error);
}
