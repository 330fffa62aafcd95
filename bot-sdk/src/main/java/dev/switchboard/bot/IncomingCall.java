package dev.switchboard.bot;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A call offered to the bot, waiting for its {@link Decision}. Immutable and thread-safe.
 *
 * <pre>{@code
 * config.onIncoming(call -> {
 *     if (call.remaining().toMillis() < 500) return Decision.reject(RejectReason.BUSY);
 *     return known.contains(call.caller().id()) ? Decision.answer() : Decision.reject(RejectReason.NONE);
 * });
 * }</pre>
 *
 * <p>The public constructor is for unit tests of a {@link CallHandler}; the bot builds these from
 * notifications.
 */
public final class IncomingCall {

    private final String id;
    private final String tenantId;
    private final Identity caller;
    private final List<Identity> targets;
    private final Optional<GroupInvitation> groupInvitation;
    private final Instant deadline;
    private final InstantSource clock;
    private final ActiveCalls activeCalls;
    private final Map<String, Object> resourceData;

    /**
     * @param deadline     when the service ends the call unanswered (the notification's arrival + the answer timeout)
     * @param clock        what {@link #remaining()} measures with
     * @param resourceData the call as received, unknown members included
     */
    public IncomingCall(String id, String tenantId, Identity caller, List<Identity> targets,
                        Optional<GroupInvitation> groupInvitation, Instant deadline, InstantSource clock,
                        ActiveCalls activeCalls, Map<String, Object> resourceData) {
        this.id = Objects.requireNonNull(id, "id");
        this.tenantId = Objects.requireNonNull(tenantId, "tenantId");
        this.caller = Objects.requireNonNull(caller, "caller");
        this.targets = List.copyOf(targets);
        this.groupInvitation = Objects.requireNonNull(groupInvitation, "groupInvitation");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.activeCalls = Objects.requireNonNull(activeCalls, "activeCalls");
        this.resourceData = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(resourceData));
    }

    /** The id of this bot's leg: what {@code calls().byCallId(...)} takes. */
    public String id() {
        return id;
    }

    /** The tenant of the call (the token's {@code tid} when the payload names none). */
    public String tenantId() {
        return tenantId;
    }

    /** Who calls: the first member of {@code source.identity} ({@code user}, {@code application}, …). */
    public Identity caller() {
        return caller;
    }

    /** Who is called, in the order of {@code targets}. */
    public List<Identity> targets() {
        return targets;
    }

    /** Present when the call invites the bot to a group call or meeting ({@code chatInfo}/{@code meetingInfo}). */
    public Optional<GroupInvitation> groupInvitation() {
        return groupInvitation;
    }

    /** When the service ends this call unanswered (408/8544). */
    public Instant deadline() {
        return deadline;
    }

    /** How long is left before {@link #deadline()}; never negative. */
    public Duration remaining() {
        Duration left = Duration.between(clock.instant(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /** The calls this bot holds now, so that "busy when at capacity" is one line. */
    public ActiveCalls activeCalls() {
        return activeCalls;
    }

    /** The Graph call object as received, unknown members included. */
    public Map<String, Object> resourceData() {
        return resourceData;
    }

    @Override
    public String toString() {
        return "IncomingCall " + id + " from " + caller.kind() + ":" + caller.id() + (groupInvitation.isPresent() ? " (group)" : "");
    }
}
