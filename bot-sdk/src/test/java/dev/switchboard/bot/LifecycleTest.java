package dev.switchboard.bot;

import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.ResultInfo;
import dev.switchboard.testkit.PlacedCall;
import dev.switchboard.testkit.SwitchboardExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Answer, redirect, established and terminated events, and the bot's view of the calls it holds. */
class LifecycleTest {

    @RegisterExtension
    final SwitchboardExtension sb = SwitchboardExtension.create(setup -> setup.bot("front").bot("back"));

    private final Recorder recorder = new Recorder();

    @Test
    void anAnsweredCallIsEstablishedCountedAndReportedTerminatedWhenTheCallerHangsUp() {
        try (MountedBot front = MountedBot.mount(sb, "front", config -> config.listener(recorder).onIncoming(call -> Decision.answer()))) {
            PlacedCall call = sb.placeCall("front");
            call.awaitState(CallState.ESTABLISHED, Duration.ofSeconds(5));

            CallEvent established = Recorder.next(recorder.established);
            assertThat(front.bot.activeCalls().ids()).containsExactly(established.callId());

            assertThat(call.hangUp()).isEqualTo(204);
            CallEvent ended = Recorder.next(recorder.terminated);
            assertThat(ended.callId()).isEqualTo(established.callId());
            assertThat(ended.resultInfo()).contains(new CallEvent.ResultInfo(200, 5000, "The call was ended by the remote party."));
            assertThat(front.bot.activeCalls().size()).isZero();
        }
    }

    @Test
    void busyWhenAtCapacityIsOneLine() {
        try (MountedBot ignored = MountedBot.mount(sb, "front", config -> config.listener(recorder)
                .onIncoming(call -> call.activeCalls().size() >= 1 ? Decision.reject(RejectReason.BUSY) : Decision.answer()))) {
            PlacedCall first = sb.placeCall("front");
            first.awaitState(CallState.ESTABLISHED, Duration.ofSeconds(5));

            PlacedCall second = sb.placeCall("front");

            assertThat(second.awaitEnded()).isEqualTo(new ResultInfo(486, 0, "Busy"));
            assertThat(first.state()).isEqualTo("established");
        }
    }

    @Test
    void aRedirectHandsTheCallToAnotherBotWhoseDecisionTheCallerGets() {
        try (MountedBot ignoredFront = MountedBot.mount(sb, "front", config -> config.listener(recorder)
                .onIncoming(call -> Decision.redirect(Identity.application(sb.app("back").id()))));
             MountedBot ignoredBack = MountedBot.mount(sb, "back", config -> config
                     .onIncoming(call -> Decision.reject(RejectReason.FORBIDDEN)))) {
            PlacedCall call = sb.placeCall("front");

            assertThat(call.awaitEnded()).isEqualTo(new ResultInfo(403, 0, "Forbidden"));
            assertThat(Recorder.next(recorder.terminated).resultInfo()).contains(new CallEvent.ResultInfo(302, 0, "The call was redirected."));
        }
    }

    @Test
    void simultaneousOffersCannotAllTakeTheLastPlace() throws Exception {
        java.util.concurrent.CountDownLatch bothOffered = new java.util.concurrent.CountDownLatch(2);
        try (MountedBot ignored = MountedBot.mount(sb, "front", config -> {
            config.maxActiveCalls = 1;
            // both handlers decide only once both calls are offered, so each sees the place free
            config.onIncoming(call -> {
                bothOffered.countDown();
                try {
                    bothOffered.await(5, java.util.concurrent.TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return Decision.answer();
            });
        })) {
            PlacedCall first = sb.placeCall("front");
            PlacedCall second = sb.placeCall("front");
            await().atMost(Duration.ofSeconds(10)).until(() -> !first.state().equals("establishing")
                    && !second.state().equals("establishing"));
            assertThat(java.util.List.of(first.state(), second.state())).containsExactlyInAnyOrder("established", "terminated");
            PlacedCall refused = first.state().equals("terminated") ? first : second;
            assertThat(refused.awaitEnded()).isEqualTo(new ResultInfo(486, 0, "Busy"));
        }
    }
}
