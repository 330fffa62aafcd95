package dev.switchboard.bot;

/**
 * The bot's policy: decides what to do with one incoming call.
 *
 * <pre>{@code
 * CallHandler handler = call -> blocked.contains(call.caller().id())
 *         ? Decision.reject(RejectReason.FORBIDDEN)
 *         : Decision.answer();
 * }</pre>
 *
 * <p>Called on an executor thread after the notification was acknowledged, once per offered call,
 * possibly for several calls at once: implementations must be thread-safe. It may block (a database, a
 * remote check); if it has not returned {@link BotConfig#decisionMargin} before the answer deadline, the
 * bot's {@link BotConfig#fallback} is sent instead and the late decision is dropped. Throwing, or
 * returning {@code null}, sends the fallback at once.
 */
@FunctionalInterface
public interface CallHandler {

    Decision decide(IncomingCall call) throws Exception;
}
