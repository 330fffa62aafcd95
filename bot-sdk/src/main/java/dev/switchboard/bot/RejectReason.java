package dev.switchboard.bot;

/**
 * Why a bot turns a call down, as Graph's {@code reject} action names it. The caller sees
 * {@code 486 Busy} for {@link #BUSY}, {@code 403 Forbidden} for {@link #FORBIDDEN} and {@code 603 Declined}
 * for {@link #NONE}.
 *
 * <pre>{@code
 * config.onIncoming(call -> Decision.reject(RejectReason.BUSY));
 * }</pre>
 */
public enum RejectReason {
    NONE, BUSY, FORBIDDEN
}
