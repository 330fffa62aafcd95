package dev.switchboard.notify;

import dev.switchboard.core.store.PendingNotification;

import java.time.Duration;

/**
 * Observes deliveries, for metrics and logs. Methods run on the dispatcher's thread: keep them quick
 * and non-blocking. An exception thrown here is logged and otherwise ignored. New events are added as
 * default methods, so implementations keep compiling.
 */
public interface DeliveryListener {

    DeliveryListener NONE = new DeliveryListener() {};

    /**
     * The bot answered 2xx.
     *
     * @param attempts how many attempts it took, this one included
     * @param latency  from when the notification was written to now, by the injected clock
     */
    default void delivered(PendingNotification notification, int attempts, Duration latency) {
    }

    /**
     * An attempt failed; the notification is retried after a backoff, and the call's later
     * notifications wait behind it.
     *
     * @param attempt which attempt failed, counting from 1
     * @param error   why, as recorded in the outbox
     */
    default void failed(PendingNotification notification, int attempt, String error) {
    }
}
