package dev.switchboard.notify;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.time.ManualClock;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A test clock, an SQLite outbox, a bot on a real socket and the dispatchers started against them. */
final class Harness implements AutoCloseable {

    static final RSAKey KEY = generateKey();

    final ManualClock clock = new ManualClock(Instant.now());
    final Outbox outbox;
    final BotEndpoint bot;
    final Recorder events = new Recorder();
    private final List<Dispatcher> dispatchers = new ArrayList<>();

    Harness(Path dir) throws IOException {
        this.outbox = new Outbox(dir, clock);
        this.bot = BotEndpoint.http(KEY, clock);
    }

    Harness(Path dir, BotEndpoint bot) {
        this.outbox = new Outbox(dir, clock);
        this.bot = bot;
    }

    /** Development mode: the test bot listens on plain http at loopback. */
    static DispatcherConfig devConfig() {
        return DispatcherConfig.defaults().withAllowInsecureLoopback(true);
    }

    Dispatcher start() {
        return start(devConfig());
    }

    Dispatcher start(DispatcherConfig config) {
        Dispatcher dispatcher = new Dispatcher(outbox.store(), () -> KEY, clock, config, events);
        dispatchers.add(dispatcher);
        dispatcher.start();
        return dispatcher;
    }

    /** Moves the test clock a little, so that any retry waiting in a backoff becomes due eventually. */
    boolean tick() {
        clock.advance(Duration.ofSeconds(2));
        return true;
    }

    @Override
    public void close() {
        dispatchers.forEach(Dispatcher::close);
        bot.close();
        outbox.close();
    }

    private static RSAKey generateKey() {
        try {
            return new RSAKeyGenerator(2048).keyID("test-key-1").generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the dispatcher told its listener. */
    static final class Recorder implements DeliveryListener {
        final List<String> delivered = new CopyOnWriteArrayList<>();
        final List<String> failures = new CopyOnWriteArrayList<>();

        @Override
        public void delivered(PendingNotification notification, int attempts, Duration latency) {
            delivered.add(notification.messageId());
        }

        @Override
        public void failed(PendingNotification notification, int attempt, String error) {
            failures.add(notification.messageId() + " #" + attempt + ": " + error);
        }
    }
}
