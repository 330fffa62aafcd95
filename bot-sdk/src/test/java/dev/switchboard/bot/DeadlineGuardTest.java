package dev.switchboard.bot;

import dev.switchboard.core.calls.ResultInfo;
import dev.switchboard.testkit.PlacedCall;
import dev.switchboard.testkit.SwitchboardExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** A stuck or failing handler never makes a caller wait for the 15-second rule. */
class DeadlineGuardTest {

    private static final ResultInfo BUSY = new ResultInfo(486, 0, "Busy");

    @RegisterExtension
    final SwitchboardExtension sb = SwitchboardExtension.create(setup -> setup.bot("bot"));

    private final Recorder recorder = new Recorder();
    private final CountDownLatch release = new CountDownLatch(1);

    @Test
    void aHandlerStillThinkingTwoSecondsBeforeTheDeadlineGetsTheFallbackBusyAndItsLateAnswerIsDropped() throws Exception {
        try (MountedBot ignored = MountedBot.mount(sb, "bot", config -> config.listener(recorder).onIncoming(call -> {
            release.await();
            return Decision.answer();
        }))) {
            PlacedCall call = sb.placeCall("bot");
            Instant offered = Recorder.next(recorder.offered).deadline().minusSeconds(15);

            sb.advance(Duration.ofSeconds(12));
            Thread.sleep(100);
            assertThat(call.state()).as("12 s in, the handler still has time").isEqualTo("establishing");

            sb.advance(Duration.ofSeconds(1));
            assertThat(call.awaitEnded()).isEqualTo(BUSY);
            assertThat(Duration.between(offered, sb.now())).isEqualTo(Duration.ofSeconds(13));
            assertThat(Recorder.next(recorder.sent)).isEqualTo("fallback " + Decision.reject(RejectReason.BUSY));

            release.countDown();
            assertThat(Recorder.next(recorder.dropped)).isEqualTo(Decision.answer());
            assertThat(recorder.sent).isEmpty();
        }
    }

    @Test
    void theMarginAndTheFallbackAreTheBots() throws Exception {
        try (MountedBot ignored = MountedBot.mount(sb, "bot", config -> {
            config.decisionMargin = Duration.ofSeconds(5);
            config.fallback = Decision.reject(RejectReason.FORBIDDEN);
            config.listener(recorder).onIncoming(call -> {
                release.await();
                return Decision.answer();
            });
        })) {
            PlacedCall call = sb.placeCall("bot");
            Recorder.next(recorder.offered);

            sb.advance(Duration.ofSeconds(10));

            assertThat(call.awaitEnded()).isEqualTo(new ResultInfo(403, 0, "Forbidden"));
            release.countDown();
        }
    }

    @Test
    void aHandlerThatThrowsGetsTheFallbackAtOnce() {
        try (MountedBot ignored = MountedBot.mount(sb, "bot", config -> config.listener(recorder).onIncoming(call -> {
            throw new IllegalStateException("database down");
        }))) {
            PlacedCall call = sb.placeCall("bot");

            assertThat(call.awaitEnded()).isEqualTo(BUSY);
            assertThat(Recorder.next(recorder.sent)).startsWith("fallback");
        }
    }

    @Test
    void aHandlerThatDecidesInTimeIsNotOverruled() throws Exception {
        try (MountedBot ignored = MountedBot.mount(sb, "bot", config -> config.listener(recorder).onIncoming(call -> {
            release.await();
            return Decision.reject(RejectReason.NONE);
        }))) {
            PlacedCall call = sb.placeCall("bot");
            Recorder.next(recorder.offered);
            sb.advance(Duration.ofSeconds(12));
            release.countDown();

            assertThat(call.awaitEnded()).isEqualTo(new ResultInfo(603, 0, "Declined"));
            assertThat(Recorder.next(recorder.sent)).isEqualTo(Decision.reject(RejectReason.NONE).toString());
            sb.advance(Duration.ofSeconds(2));
            Thread.sleep(100);
            assertThat(recorder.sent).isEmpty();
        }
    }
}
