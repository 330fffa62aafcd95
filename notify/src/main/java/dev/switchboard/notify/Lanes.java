package dev.switchboard.notify;

import dev.switchboard.core.store.PendingNotification;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

/**
 * The notifications held in memory, one lane per call, so that a call's notifications go out one at
 * a time in seq order while different calls go in parallel. A lane with work is always in exactly one
 * place: ready, in flight, waiting for its head's retry, or waiting for its last delivery's mark. Not
 * thread-safe: the dispatcher's thread owns it.
 */
final class Lanes {

    /** A notification and how many attempts it has had, those before a restart included. */
    static final class Work {
        final PendingNotification notification;
        int attempts;

        Work(PendingNotification notification) {
            this.notification = notification;
            this.attempts = notification.attempts();
        }
    }

    static final class Lane {
        final String callId;
        final TreeMap<Long, Work> queue = new TreeMap<>();
        Instant retryAt = Instant.MIN;
        boolean busy;

        Lane(String callId) {
            this.callId = callId;
        }

        Work head() {
            return queue.firstEntry().getValue();
        }
    }

    private final Map<String, Lane> lanes = new HashMap<>();
    /** Seqs queued, in flight, or delivered with the mark not yet committed: never to be read in again. */
    private final Set<Long> known = new HashSet<>();
    private final ArrayDeque<Lane> ready = new ArrayDeque<>();
    /** Lanes whose delivered head's mark is not yet committed, by that head's seq. */
    private final Map<Long, Lane> awaitingMark = new HashMap<>();
    private final PriorityQueue<Lane> waiting = new PriorityQueue<>(Comparator.comparing((Lane l) -> l.retryAt));

    /** Takes {@code n} in unless it is already known. */
    boolean admit(PendingNotification n) {
        if (!known.add(n.seq())) return false;
        Lane lane = lanes.get(n.callId());
        if (lane == null) {
            lane = new Lane(n.callId());
            lanes.put(n.callId(), lane);
            ready.add(lane);
        }
        lane.queue.put(n.seq(), new Work(n));
        return true;
    }

    /** The next lane whose head may go now, marked busy; empty when none. */
    Optional<Lane> take(Instant now) {
        while (!waiting.isEmpty() && !waiting.peek().retryAt.isAfter(now)) ready.add(waiting.poll());
        Lane lane = ready.poll();
        if (lane != null) lane.busy = true;
        return Optional.ofNullable(lane);
    }

    /**
     * The head of {@code lane} was delivered; its seq stays known, and the lane busy, until
     * {@link #settle}. The lane's next notification waits for that: were it sent before the delivered mark is durable, a crash
     * in between would send both again after the restart, the earlier one after the later.
     */
    void delivered(Lane lane) {
        awaitingMark.put(lane.queue.pollFirstEntry().getKey(), lane);
    }

    /** The head of {@code lane} failed: the whole lane waits until {@code retryAt}. */
    void failed(Lane lane, Instant retryAt) {
        lane.busy = false;
        lane.retryAt = retryAt;
        waiting.add(lane);
    }

    /**
     * The delivered mark of {@code seq} is committed (or lost): the outbox decides about it again, and
     * the lane it headed may send its next notification.
     */
    void settle(long seq) {
        known.remove(seq);
        Lane lane = awaitingMark.remove(seq);
        if (lane == null) return;
        lane.busy = false;
        if (lane.queue.isEmpty()) {
            lanes.remove(lane.callId);
        } else {
            ready.add(lane);
        }
    }

    Optional<Instant> nextRetry() {
        return Optional.ofNullable(waiting.peek()).map(l -> l.retryAt);
    }

    /** The calls with notifications held here: queued, in flight or waiting to be retried. */
    Set<String> calls() {
        return Set.copyOf(lanes.keySet());
    }

    int size() {
        return known.size();
    }
}
