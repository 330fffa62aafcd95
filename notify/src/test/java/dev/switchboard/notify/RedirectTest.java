package dev.switchboard.notify;

import dev.switchboard.core.calls.ChangeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RedirectTest {

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
    void redirectIsFollowedWithAPostOfTheSameBody() {
        h.bot.answer(r -> r.path().equals("/old")
                ? new BotEndpoint.Answer(302, Map.of("Location", "/new"))
                : BotEndpoint.Answer.status(202));
        String messageId = h.outbox.enqueue(h.outbox.call(h.bot.url("/old")), ChangeType.CREATED).get(0);
        h.start();

        await().until(() -> h.outbox.undelivered().isEmpty());

        var received = h.bot.received();
        assertThat(received).extracting(BotEndpoint.Received::path).containsExactly("/old", "/new");
        assertThat(received).extracting(BotEndpoint.Received::messageId).containsOnly(messageId);
        assertThat(received.get(1).body()).isEqualTo(received.get(0).body());
        assertThat(h.events.failures).isEmpty();
    }

    @Test
    void endlessRedirectsFailTheAttemptAfterFiveHops() {
        h.bot.answer(r -> new BotEndpoint.Answer(307, Map.of("Location", "/loop")));
        h.outbox.enqueue(h.outbox.call(h.bot.url("/loop")), ChangeType.CREATED);
        h.start();

        await().until(() -> !h.events.failures.isEmpty());

        assertThat(h.events.failures.get(0)).contains("more than 5 redirects");
        assertThat(h.bot.received()).hasSize(1 + HttpDelivery.MAX_REDIRECTS);
        assertThat(h.outbox.undelivered()).hasSize(1);
    }
}
