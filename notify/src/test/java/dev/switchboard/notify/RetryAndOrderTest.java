package dev.switchboard.notify;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.ChangeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RetryAndOrderTest {

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
    void failedDeliveryIsRetriedWithTheSameMessageIdUntilTheBotAccepts() {
        Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        h.bot.answer(r -> BotEndpoint.Answer.status(
                attempts.computeIfAbsent(r.messageId(), k -> new AtomicInteger()).incrementAndGet() <= 2 ? 500 : 202));
        String messageId = h.outbox.enqueue(h.outbox.call(h.bot.url("/cb")), ChangeType.CREATED).get(0);
        h.start();

        await().until(() -> h.tick() && h.outbox.undelivered().isEmpty());

        assertThat(h.bot.messageIds()).containsExactly(messageId, messageId, messageId);
        assertThat(h.events.failures).hasSize(2).allSatisfy(f -> assertThat(f).contains("HTTP 500"));
        assertThat(h.events.delivered).containsExactly(messageId);
    }

    @Test
    void laterNotificationOfACallWaitsBehindItsFailedOneWhileOtherCallsGoOn() {
        Call first = h.outbox.call(h.bot.url("/first"));
        Call other = h.outbox.call(h.bot.url("/other"));
        AtomicInteger firstAttempts = new AtomicInteger();
        h.bot.answer(r -> BotEndpoint.Answer.status(
                r.path().equals("/first") && firstAttempts.incrementAndGet() == 1 ? 503 : 202));
        List<String> ofFirst = h.outbox.enqueue(first, ChangeType.UPDATED, ChangeType.DELETED);
        String ofOther = h.outbox.enqueue(other, ChangeType.CREATED).get(0);
        h.start();

        // The clock stands still, so the failed one cannot be retried yet, and its successor must wait.
        await().until(() -> h.events.delivered.contains(ofOther) && h.events.failures.size() == 1);
        assertThat(h.bot.messageIds()).doesNotContain(ofFirst.get(1));

        await().until(() -> h.tick() && h.outbox.undelivered().isEmpty());
        assertThat(h.bot.received().stream().filter(r -> r.path().equals("/first")).map(BotEndpoint.Received::messageId))
                .containsExactly(ofFirst.get(0), ofFirst.get(0), ofFirst.get(1));
    }

    @Test
    void undeliverableCallbackIsDeferredWithoutHoldingUpOtherCalls() {
        String refused = h.outbox.enqueue(h.outbox.call("http://bot.example.com/cb"), ChangeType.CREATED).get(0);
        String fine = h.outbox.enqueue(h.outbox.call(h.bot.url("/cb")), ChangeType.CREATED).get(0);
        h.start();

        await().until(() -> h.events.delivered.contains(fine) && !h.events.failures.isEmpty());

        assertThat(h.events.failures.get(0)).startsWith(refused).contains("undeliverable");
        assertThat(h.outbox.undelivered()).extracting(n -> n.messageId()).containsExactly(refused);
    }

    @Test
    void backlogLargerThanMemoryIsDeliveredInOrderPerCall() {
        Call a = h.outbox.call(h.bot.url("/a"));
        Call b = h.outbox.call(h.bot.url("/b"));
        List<String> ofA = h.outbox.enqueue(a, ChangeType.CREATED, ChangeType.UPDATED, ChangeType.UPDATED);
        List<String> ofB = h.outbox.enqueue(b, ChangeType.CREATED, ChangeType.DELETED);
        h.start(Harness.devConfig().withConcurrency(1).withMaxQueued(1));

        await().until(() -> h.outbox.undelivered().isEmpty());

        assertThat(h.bot.received().stream().filter(r -> r.path().equals("/a")).map(BotEndpoint.Received::messageId))
                .containsExactlyElementsOf(ofA);
        assertThat(h.bot.received().stream().filter(r -> r.path().equals("/b")).map(BotEndpoint.Received::messageId))
                .containsExactlyElementsOf(ofB);
    }
}
