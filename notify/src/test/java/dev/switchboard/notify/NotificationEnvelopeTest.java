package dev.switchboard.notify;

import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.store.PendingNotification;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NotificationEnvelopeTest {

    @Test
    void resourceDataIsEmbeddedAsJsonNotAsAString() {
        String json = new String(NotificationEnvelope.render(notification("{\"id\":\"c1\",\"state\":\"terminated\"}")),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"@odata.type\":\"#microsoft.graph.commsNotifications\",\"value\":[{"
                + "\"@odata.type\":\"#microsoft.graph.commsNotification\",\"changeType\":\"deleted\","
                + "\"resourceUrl\":\"/communications/calls/c1\",\"resource\":\"/app/calls/c1\","
                + "\"resourceData\":{\"id\":\"c1\",\"state\":\"terminated\"}}]}");
    }

    @Test
    void resourceDataThatIsNotAJsonObjectIsRefused() {
        assertThatThrownBy(() -> NotificationEnvelope.render(notification("{\"id\":")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NotificationEnvelope.render(notification("\"a string\"")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static PendingNotification notification(String resourceData) {
        return new PendingNotification(1, "m1", "c1", "t1", "a1", "chain", ChangeType.DELETED,
                "https://bot.example.com/cb", resourceData, 0, Instant.EPOCH);
    }
}
