package dev.switchboard.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * One node asking the outbox for notifications it may deliver now. Several nodes may deliver from one
 * shared outbox; the store grants a call's notifications to one node at a time (a lease that runs
 * until {@link #leaseUntil}), so that a call's notifications still go out one by one, in order, and a
 * node that dies holding some is replaced once its lease has run out.
 *
 * <p>Callbacks with an internal scheme ({@value #INTERNAL_SCHEME_PREFIX}…, such as the SIP bridge's
 * {@code switchboard-sip://node-1}) can only be delivered by the node that holds the other end, so a
 * row with such a callback is granted only to a node that lists it in {@link #localCallbacks}.
 *
 * <pre>{@code
 * OutboxClaim claim = new OutboxClaim("node-2", cursor, 500, now, now.plusSeconds(10),
 *         Set.of("switchboard-sip://node-2"));
 * ClaimedNotifications mine = store.claim(claim);
 * }</pre>
 *
 * @param node           who asks; the same name across the node's restarts keeps its leases
 * @param afterSeq       look at rows after this seq (0: the whole outbox)
 * @param limit          rows to look at, at most; the granted calls' rows may be more
 * @param now            the asking node's time; a lease that ended before it may be taken over
 * @param leaseUntil     how long the granted calls stay this node's unless renewed
 * @param localCallbacks internal callback URIs this node delivers in its own process
 */
public record OutboxClaim(String node, long afterSeq, int limit, Instant now, Instant leaseUntil,
                          Set<String> localCallbacks) {

    /** Callback URIs that start with this are delivered in-process by one node, never over HTTP. */
    public static final String INTERNAL_SCHEME_PREFIX = "switchboard-";

    public OutboxClaim {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(leaseUntil, "leaseUntil");
        localCallbacks = Set.copyOf(localCallbacks);
        if (node.isBlank()) throw new IllegalArgumentException("node must not be blank");
        if (limit < 1) throw new IllegalArgumentException("limit must be at least 1");
        if (afterSeq < 0) throw new IllegalArgumentException("afterSeq must not be negative");
        if (!leaseUntil.isAfter(now)) throw new IllegalArgumentException("leaseUntil must be after now");
    }

    /** Whether this node may deliver to {@code callbackUri} at all: any external one, its own internal ones. */
    public boolean reaches(String callbackUri) {
        return reaches(callbackUri, localCallbacks);
    }

    /** Whether a node delivering {@code localCallbacks} in its own process may deliver to {@code callbackUri}. */
    public static boolean reaches(String callbackUri, Set<String> localCallbacks) {
        return !callbackUri.startsWith(INTERNAL_SCHEME_PREFIX) || localCallbacks.contains(callbackUri);
    }
}
