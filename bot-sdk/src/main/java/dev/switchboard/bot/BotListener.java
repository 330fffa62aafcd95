package dev.switchboard.bot;

/**
 * Observes a bot: its calls' lifecycle, and what became of each decision. Every method does nothing by
 * default; override the ones you need (new events may be added without breaking you).
 *
 * <pre>{@code
 * config.listener(new BotListener() {
 *     @Override public void callTerminated(CallEvent e) { metrics.ended(e.resultInfo()); }
 *     @Override public void decisionFailed(IncomingCall call, Decision d, Throwable why) { log.warn(...); }
 * });
 * }</pre>
 *
 * <p>Lifecycle methods ({@link #callOffered}, {@link #callEstablished}, {@link #callTerminated},
 * {@link #callUpdated}) are called on one thread, in the order the notifications arrived. Decision
 * methods are called on the thread that sent the decision. A listener that throws is ignored (the bot
 * goes on); one that blocks delays the events after it.
 */
public abstract class BotListener {

    /** A listener that ignores everything. */
    public static final BotListener NONE = new BotListener() {
    };

    /** A call was offered; the handler is about to be asked. */
    public void callOffered(IncomingCall call) {
    }

    /** One of this bot's calls reached {@code established}. */
    public void callEstablished(CallEvent event) {
    }

    /** One of this bot's calls ended ({@code deleted} / {@code terminated}); {@code resultInfo} says how. */
    public void callTerminated(CallEvent event) {
    }

    /** Any other change of a call ({@code establishing}, {@code hold}, …). */
    public void callUpdated(CallEvent event) {
    }

    /** The service accepted the decision (202). {@code fallback}: sent by the deadline guard or after a handler failure. */
    public void decisionSent(IncomingCall call, Decision decision, boolean fallback) {
    }

    /** The decision could not be sent: the call was gone (404), refused (4xx), or retries ran out. */
    public void decisionFailed(IncomingCall call, Decision decision, Throwable failure) {
    }

    /** The handler decided after the fallback had been sent; its decision was not sent. */
    public void lateDecisionDropped(IncomingCall call, Decision late) {
    }

    /** The handler threw (or returned {@code null}); the fallback is sent at once. */
    public void handlerFailed(IncomingCall call, Throwable failure) {
    }

    /** A delivery was refused with {@code status} (bad token, bad body), or a repeated message id was skipped (202). */
    public void notificationRefused(int status, String reason) {
    }
}
