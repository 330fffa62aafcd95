package dev.switchboard.notify;

import dev.switchboard.core.store.PendingNotification;

/**
 * Takes notifications whose callback URI has an internal scheme (such as {@code switchboard-sip://node-1})
 * inside this process instead of POSTing them. Registered per scheme with the {@link Dispatcher}; the
 * dispatcher keeps its guarantees for these rows too: a call's notifications arrive one at a time in
 * the order they were written, a failed one is retried with the usual backoff and holds back the
 * call's later ones, and delivery is at least once (the same row may arrive again after a restart, so
 * a handler must be idempotent).
 *
 * <p>Runs on one of the dispatcher's delivery threads; it may block briefly, but every millisecond it
 * blocks is a delivery slot taken from the bots.
 *
 * <pre>{@code
 * new Dispatcher(store, keys::current, clock, config, listener,
 *         Map.of("switchboard-sip", notification -> bridge.deliver(notification)));
 * }</pre>
 *
 * <p>Internal schemes exist only for legs the server placed itself: {@link CallbackPolicy} refuses
 * every scheme but {@code https} (and loopback {@code http} in development) for anything a bot sends.
 */
@FunctionalInterface
public interface LocalDelivery {

    /**
     * Hands one notification over.
     *
     * @return true when it is done with (the row is marked delivered); false to have it tried again
     *         after a backoff. A runtime exception counts as false, its message recorded as the failure.
     */
    boolean deliver(PendingNotification notification);
}
