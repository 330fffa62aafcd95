package dev.switchboard.bot;

import java.util.Set;

/**
 * The calls this bot holds now: answered (the answer was accepted) and not yet terminated. A live view,
 * safe to read from any thread; it changes as answers are accepted and terminated notifications arrive.
 *
 * <pre>{@code
 * config.onIncoming(call -> call.activeCalls().size() >= 3 ? Decision.reject(RejectReason.BUSY) : Decision.answer());
 * }</pre>
 *
 * <p>That check is a fast path; two offers decided at the same moment both see the same size. For a
 * hard limit set {@link BotConfig#maxActiveCalls}: the SDK then takes the place and sends the answer
 * as one step, and answers beyond it go out as {@code reject(BUSY)}.
 */
public interface ActiveCalls {

    int size();

    boolean contains(String callId);

    /** A snapshot of the ids. */
    Set<String> ids();
}
