package dev.switchboard.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.ChangeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeliveryTest {

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
    void deliversOneGraphCommsNotificationPerPostWithGraphHeaders() throws Exception {
        Call call = h.outbox.call(h.bot.url("/callback"));
        String messageId = h.outbox.enqueue(call, ChangeType.CREATED).get(0);
        h.start();

        await().until(() -> h.outbox.undelivered().isEmpty());
        BotEndpoint.Received request = h.bot.received().get(0);
        JsonNode body = new ObjectMapper().readTree(request.body());
        JsonNode notification = body.get("value").get(0);
        assertThat(body.get("@odata.type").asText()).isEqualTo("#microsoft.graph.commsNotifications");
        assertThat(body.get("value")).hasSize(1);
        assertThat(notification.get("@odata.type").asText()).isEqualTo("#microsoft.graph.commsNotification");
        assertThat(notification.get("changeType").asText()).isEqualTo("created");
        assertThat(notification.get("resourceUrl").asText()).isEqualTo("/communications/calls/" + call.id());
        assertThat(notification.get("resource").asText()).isEqualTo("/app/calls/" + call.id());
        assertThat(notification.get("resourceData").isObject()).isTrue();
        assertThat(notification.get("resourceData").get("id").asText()).isEqualTo(call.id());

        assertThat(request.path()).isEqualTo("/callback");
        assertThat(request.headers().getFirst("Content-Type")).isEqualTo("application/json");
        assertThat(request.headers().getFirst("X-Microsoft-Skype-Chain-ID")).isEqualTo(call.callChainId());
        assertThat(request.messageId()).isEqualTo(messageId);
        assertThat(UUID.fromString(request.headers().getFirst("Scenario-Id"))).isNotNull();
        assertThat(request.headers().getFirst("User-Agent")).startsWith("Switchboard/");
        assertThat(h.bot.tokenProblems()).isEmpty();
        assertThat(h.events.delivered).containsExactly(messageId);
    }

    @Test
    void reusesOneSignedTokenUntilHalfItsLifetimeHasPassed() {
        h.start();
        h.outbox.enqueue(h.outbox.call(h.bot.url("/a")), ChangeType.CREATED);
        h.outbox.enqueue(h.outbox.call(h.bot.url("/b")), ChangeType.CREATED);
        await().until(() -> h.bot.received().size() == 2);

        h.clock.advance(NotificationSigner.LIFETIME.dividedBy(2).plus(Duration.ofSeconds(1)));
        h.outbox.enqueue(h.outbox.call(h.bot.url("/c")), ChangeType.CREATED);
        await().until(() -> h.bot.received().size() == 3);

        List<String> tokens = h.bot.received().stream().map(BotEndpoint.Received::token).toList();
        assertThat(tokens.get(0)).isEqualTo(tokens.get(1));
        assertThat(tokens.get(2)).isNotEqualTo(tokens.get(0));
        assertThat(h.bot.tokenProblems()).isEmpty();
    }
}
