package dev.switchboard.core.calls;

import java.util.List;
import java.util.Optional;

/** All legs that share one {@code callChainId}: the caller's outgoing leg and the legs offered to callees. */
public record Conversation(List<Call> legs) {

    public Conversation {
        legs = List.copyOf(legs);
    }

    public Optional<Call> leg(String id) {
        return legs.stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public Optional<Call> callerLeg() {
        return legs.stream().filter(c -> c.direction() == Direction.OUTGOING).findFirst();
    }

    /** Whether any callee leg other than {@code except} is still ringing or talking. */
    boolean otherCalleeActive(String except) {
        return legs.stream().anyMatch(c -> c.direction() == Direction.INCOMING && !c.id().equals(except)
                && c.state().isActive());
    }

    boolean otherCalleeEstablished(String except) {
        return legs.stream().anyMatch(c -> c.direction() == Direction.INCOMING && !c.id().equals(except)
                && c.state() == CallState.ESTABLISHED);
    }
}
