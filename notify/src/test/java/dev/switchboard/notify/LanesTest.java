package dev.switchboard.notify;

import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.store.PendingNotification;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class LanesTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private final Lanes lanes = new Lanes();

    @Test
    void aCallsNextNotificationIsNotTakenWhileItsHeadIsInFlightOrWaiting() {
        lanes.admit(notification(1, "a"));
        lanes.admit(notification(2, "a"));

        Lanes.Lane a = lanes.take(NOW).orElseThrow();
        assertThat(a.head().notification.seq()).isEqualTo(1);
        assertThat(lanes.take(NOW)).isEmpty();

        lanes.failed(a, NOW.plusSeconds(1));
        assertThat(lanes.take(NOW)).isEmpty();
        assertThat(lanes.take(NOW.plusSeconds(1)).orElseThrow().head().notification.seq()).isEqualTo(1);

        lanes.delivered(a);
        assertThat(lanes.take(NOW)).as("the next waits for the delivered mark of the one before").isEmpty();
        lanes.settle(1);
        assertThat(lanes.take(NOW).orElseThrow().head().notification.seq()).isEqualTo(2);
    }

    /** Sent before the mark of the one before is durable, a crash would resend both, in the wrong order. */
    @Test
    void aNotificationArrivingAfterItsCallsLastDeliveryWaitsForThatDeliverysMark() {
        lanes.admit(notification(1, "a"));
        lanes.delivered(lanes.take(NOW).orElseThrow());
        lanes.admit(notification(2, "a"));

        assertThat(lanes.take(NOW)).isEmpty();
        assertThat(lanes.calls()).containsExactly("a");
        lanes.settle(1);
        assertThat(lanes.take(NOW).orElseThrow().head().notification.seq()).isEqualTo(2);
    }

    @Test
    void differentCallsAreTakenSideBySide() {
        lanes.admit(notification(1, "a"));
        lanes.admit(notification(2, "b"));

        assertThat(lanes.take(NOW).orElseThrow().callId).isEqualTo("a");
        assertThat(lanes.take(NOW).orElseThrow().callId).isEqualTo("b");
    }

    @Test
    void aDeliveredSeqIsNotReadInAgainUntilItsMarkIsSettled() {
        lanes.admit(notification(1, "a"));
        lanes.delivered(lanes.take(NOW).orElseThrow());

        assertThat(lanes.admit(notification(1, "a"))).isFalse();
        lanes.settle(1);
        assertThat(lanes.size()).isZero();
        assertThat(lanes.calls()).isEmpty();
    }

    private static PendingNotification notification(long seq, String callId) {
        return new PendingNotification(seq, "m" + seq, callId, "t", "app", "chain", ChangeType.UPDATED,
                "https://bot.example.com/cb", "{}", 0, NOW);
    }
}
