package dev.switchboard.notify;

import dev.switchboard.core.store.PendingNotification;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Observes deliveries, for metrics and logs. Methods run on the dispatcher's thread: keep them quick
 * and non-blocking. An exception thrown here is logged and otherwise ignored. New events are added as
 * default methods, so implementations keep compiling.
 */
public interface DeliveryListener {

    DeliveryListener NONE = new DeliveryListener() {};

    /**
     * One listener that tells each of {@code listeners} in turn. Every one is told even if an earlier
     * one throws; the first exception is then thrown on (and logged by the dispatcher).
     */
    static DeliveryListener all(DeliveryListener... listeners) {
        List<DeliveryListener> each = List.of(listeners);
        return new DeliveryListener() {
            @Override
            public void delivered(PendingNotification notification, int attempts, Duration latency) {
                tellEach(each, l -> l.delivered(notification, attempts, latency));
            }

            @Override
            public void failed(PendingNotification notification, int attempt, String error) {
                tellEach(each, l -> l.failed(notification, attempt, error));
            }
        };
    }

    private static void tellEach(List<DeliveryListener> listeners, Consumer<DeliveryListener> event) {
        RuntimeException first = null;
        for (DeliveryListener l : listeners) {
            try {
                event.accept(l);
            } catch (RuntimeException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

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
