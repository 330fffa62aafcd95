package dev.switchboard.notify;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.store.CallStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The SQLite store hands the dispatcher the rows each commit adds, so the dispatcher reads the outbox
 * only at start, on a rescan, and while its memory is full. Rescans are set an hour apart here, so
 * every read these tests count is one the dispatcher chose.
 */
class HandedOverRowsTest {

    private static final DispatcherConfig NO_RESCAN = Harness.devConfig().withRescanInterval(Duration.ofHours(1));

    @TempDir
    Path dir;
    Harness h;
    final AtomicInteger reads = new AtomicInteger();

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void rowsCommittedWhileRunningAreDeliveredWithoutReadingTheOutboxAgain() {
        Call before = h.outbox.call(h.bot.url("/before"));
        List<String> sent = new ArrayList<>(h.outbox.enqueue(before, ChangeType.CREATED));
        try (Dispatcher d = new Dispatcher(countingReads(h.outbox.store()), () -> Harness.KEY, h.clock, NO_RESCAN,
                h.events)) {
            d.start();
            await().until(() -> h.events.delivered.containsAll(sent));
            int atStart = reads.get();

            for (int i = 0; i < 3; i++) {
                sent.addAll(h.outbox.enqueue(h.outbox.call(h.bot.url("/c" + i)), ChangeType.CREATED, ChangeType.DELETED));
            }
            await().until(() -> h.outbox.undelivered().isEmpty());

            assertThat(h.events.delivered).containsExactlyInAnyOrderElementsOf(sent);
            assertThat(reads.get()).isEqualTo(atStart);
        }
    }

    @Test
    void rowsThatFindMemoryFullAreReadOnceThereIsRoomInOrderPerCall() {
        try (Dispatcher d = new Dispatcher(countingReads(h.outbox.store()), () -> Harness.KEY, h.clock,
                NO_RESCAN.withConcurrency(1).withMaxQueued(1), h.events)) {
            d.start();
            String before = h.outbox.enqueue(h.outbox.call(h.bot.url("/before")), ChangeType.CREATED).get(0);
            await().until(() -> h.events.delivered.contains(before));
            int atStart = reads.get();
            Call a = h.outbox.call(h.bot.url("/a"));
            Call b = h.outbox.call(h.bot.url("/b"));
            List<String> ofA = h.outbox.enqueue(a, ChangeType.CREATED, ChangeType.UPDATED, ChangeType.UPDATED);
            List<String> ofB = h.outbox.enqueue(b, ChangeType.CREATED, ChangeType.DELETED);

            await().until(() -> h.outbox.undelivered().isEmpty());

            assertThat(h.bot.received().stream().filter(r -> r.path().equals("/a")).map(BotEndpoint.Received::messageId))
                    .containsExactlyElementsOf(ofA);
            assertThat(h.bot.received().stream().filter(r -> r.path().equals("/b")).map(BotEndpoint.Received::messageId))
                    .containsExactlyElementsOf(ofB);
            assertThat(reads.get()).isGreaterThan(atStart);
        }
    }

    /** The store, with its reads of the outbox counted. */
    private CallStore countingReads(CallStore store) {
        return Intercept.proxy(CallStore.class, store, (method, args) -> {
            if (method.getName().equals("claim")) reads.incrementAndGet();
            return method.invoke(store, args);
        });
    }
}
