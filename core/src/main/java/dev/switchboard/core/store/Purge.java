package dev.switchboard.core.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link CallWrites#purge} step did: how many legs it removed, and the last leg it looked
 * at, where the next step goes on from; empty once no older leg is left to look at.
 */
public record Purge(int legs, Optional<Position> next) {

    public Purge {
        if (legs < 0) throw new IllegalArgumentException("legs: " + legs);
        Objects.requireNonNull(next, "next");
    }

    /** A leg's place in creation order: by creation time, then by id. */
    public record Position(Instant createdAt, String callId) {
        public Position {
            Objects.requireNonNull(createdAt, "createdAt");
            Objects.requireNonNull(callId, "callId");
        }
    }
}
