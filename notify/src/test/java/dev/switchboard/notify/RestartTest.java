package dev.switchboard.notify;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.ChangeType;
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

class RestartTest {

    @TempDir
    Path dir;
    Harness h;

    @BeforeEach
    void setUp() throws Exception {
        h = new Harness(dir);
    }

    @AfterEach
    void tearDown() {
        h.close();
    }

    @Test
    void notificationsWrittenWhileNoDispatcherRanAreDeliveredWhenOneStarts() {
        Call a = h.outbox.call(h.bot.url("/a"));
        Call b = h.outbox.call(h.bot.url("/b"));
        List<String> ofA = h.outbox.enqueue(a, ChangeType.CREATED, ChangeType.UPDATED, ChangeType.DELETED);
        List<String> ofB = h.outbox.enqueue(b, ChangeType.CREATED);
        h.outbox.reopen();

        h.start();

        await().until(() -> h.outbox.undelivered().isEmpty());
        assertThat(idsReceivedAt("/a")).containsExactlyElementsOf(ofA);
        assertThat(idsReceivedAt("/b")).containsExactlyElementsOf(ofB);
    }

    @Test
    void whatAStoppedDispatcherCouldNotDeliverIsDeliveredInOrderByTheNextOne() {
        h.bot.answer(r -> BotEndpoint.Answer.status(503));
        Call a = h.outbox.call(h.bot.url("/a"));
        List<String> ofA = h.outbox.enqueue(a, ChangeType.CREATED, ChangeType.UPDATED);
        Dispatcher first = h.start();
        await().until(() -> !h.events.failures.isEmpty());
        first.close();

        h.bot.answer(r -> BotEndpoint.Answer.status(202));
        h.outbox.reopen();
        h.start();

        await().until(() -> h.outbox.undelivered().isEmpty());
        // The test clock never moved, so the first dispatcher tried once; the second starts over, in order.
        assertThat(h.bot.messageIds()).containsExactly(ofA.get(0), ofA.get(0), ofA.get(1));
    }

    @Test
    void aBacklogFoundAtStartGoesOutNoMoreThanTheConcurrencyCapAtOnce() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        h.bot.answer(r -> {
            most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Thread.sleep(10); // a bot slow enough that attempts overlap
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            return BotEndpoint.Answer.status(202);
        });
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Call call = h.outbox.call(h.bot.url("/c" + i));
            written.addAll(h.outbox.enqueue(call, ChangeType.CREATED, ChangeType.DELETED));
        }
        h.outbox.reopen();

        h.start(Harness.devConfig().withConcurrency(4));

        await().atMost(Duration.ofMinutes(1)).until(() -> h.outbox.undelivered().isEmpty());
        assertThat(h.bot.messageIds()).containsExactlyInAnyOrderElementsOf(written);
        assertThat(most.get()).as("attempts in flight at once").isBetween(2, 4);
        for (int i = 0; i < 200; i++) {
            assertThat(idsReceivedAt("/c" + i)).containsExactly(written.get(2 * i), written.get(2 * i + 1));
        }
    }

    private List<String> idsReceivedAt(String path) {
        return h.bot.received().stream().filter(r -> r.path().equals(path)).map(BotEndpoint.Received::messageId).toList();
    }
}
