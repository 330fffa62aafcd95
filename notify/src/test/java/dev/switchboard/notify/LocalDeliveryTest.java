package dev.switchboard.notify;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.store.PendingNotification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class LocalDeliveryTest {

    private static final String INTERNAL = "switchboard-sip://node-1";

    @TempDir
    Path dir;
    Harness h;
    final List<String> handed = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    private Dispatcher start(LocalDelivery handler) {
        Dispatcher d = new Dispatcher(h.outbox.store(), () -> Harness.KEY, h.clock, Harness.devConfig(), h.events,
                Map.of("Switchboard-SIP", handler));
        d.start();
        return d;
    }

    @Test
    void notificationForARegisteredSchemeIsHandedOverInProcessAndNeverPosted() {
        Call internal = h.outbox.call(INTERNAL);
        List<String> ids = h.outbox.enqueue(internal, ChangeType.UPDATED, ChangeType.DELETED);
        String overHttp = h.outbox.enqueue(h.outbox.call(h.bot.url("/cb")), ChangeType.CREATED).get(0);
        try (Dispatcher ignored = start(n -> handed.add(n.messageId()))) {
            await().until(() -> h.outbox.undelivered().isEmpty());
        }

        assertThat(handed).containsExactlyElementsOf(ids);
        assertThat(h.bot.messageIds()).containsExactly(overHttp);
        assertThat(h.events.delivered).containsAll(ids);
    }

    @Test
    void declinedOrFailedHandOverIsRetriedAndHoldsBackTheCallsLaterNotifications() {
        Call internal = h.outbox.call(INTERNAL);
        List<String> ids = h.outbox.enqueue(internal, ChangeType.UPDATED, ChangeType.DELETED);
        AtomicInteger attempts = new AtomicInteger();
        LocalDelivery flaky = n -> {
            int attempt = attempts.incrementAndGet();
            if (attempt == 1) return false;
            if (attempt == 2) throw new IllegalStateException("no transaction yet");
            handed.add(n.messageId());
            return true;
        };
        try (Dispatcher ignored = start(flaky)) {
            await().until(() -> h.events.failures.size() == 1);
            assertThat(handed).isEmpty();
            await().until(() -> h.tick() && h.outbox.undelivered().isEmpty());
        }

        assertThat(handed).containsExactlyElementsOf(ids);
        assertThat(h.events.failures).hasSize(2);
        assertThat(h.events.failures.get(0)).startsWith(ids.get(0)).contains("declined by the local handler");
        assertThat(h.events.failures.get(1)).startsWith(ids.get(0)).contains("no transaction yet");
    }

    @Test
    void internalSchemeWithoutAHandlerIsNeverPostedAnywhere() {
        String orphan = h.outbox.enqueue(h.outbox.call("other-internal://node-1"), ChangeType.CREATED).get(0);
        try (Dispatcher ignored = start(n -> handed.add(n.messageId()))) {
            await().until(() -> !h.events.failures.isEmpty());
        }

        assertThat(h.events.failures.get(0)).startsWith(orphan).contains("undeliverable");
        assertThat(handed).isEmpty();
        assertThat(h.bot.received()).isEmpty();
    }

    @Test
    void httpSchemesCannotBeTakenOverByALocalHandler() {
        for (String scheme : List.of("http", "HTTPS", "not a scheme")) {
            assertThatThrownBy(() -> new Dispatcher(h.outbox.store(), () -> Harness.KEY, h.clock, Harness.devConfig(),
                    h.events, Map.of(scheme, n -> true))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void combinedListenerTellsEveryListenerEvenWhenOneThrows() {
        List<String> told = new CopyOnWriteArrayList<>();
        DeliveryListener throwing = new DeliveryListener() {
            @Override
            public void delivered(PendingNotification n, int attempts, Duration latency) {
                told.add("first");
                throw new IllegalStateException("boom");
            }
        };
        DeliveryListener second = new DeliveryListener() {
            @Override
            public void delivered(PendingNotification n, int attempts, Duration latency) {
                told.add("second");
            }
        };
        DeliveryListener both = DeliveryListener.all(throwing, second);

        assertThatThrownBy(() -> both.delivered(null, 1, Duration.ZERO)).hasMessage("boom");
        assertThat(told).containsExactly("first", "second");
    }
}
