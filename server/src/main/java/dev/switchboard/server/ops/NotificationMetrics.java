package dev.switchboard.server.ops;

import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.notify.DeliveryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/** Delivery counts and latency, from the dispatcher's events. */
public final class NotificationMetrics implements DeliveryListener {

    private final Counter delivered;
    private final Counter failed;
    private final Timer latency;

    public NotificationMetrics(MeterRegistry registry) {
        this.delivered = registry.counter("switchboard.notifications.delivered");
        this.failed = registry.counter("switchboard.notifications.failed.attempts");
        this.latency = Timer.builder("switchboard.notifications.latency")
                .description("from the notification's commit to the bot's 2xx")
                .publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    @Override
    public void delivered(PendingNotification notification, int attempts, Duration sinceWritten) {
        delivered.increment();
        latency.record(sinceWritten);
    }

    @Override
    public void failed(PendingNotification notification, int attempt, String error) {
        failed.increment();
    }
}
