package dev.switchboard.core.calls;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.switchboard.core.calls.CallScenario.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Placing a call, and what holds for every transition: versions, deadlines, endings. */
class CallMachineTest {

    // --- place ---

    @Test
    void placingAP2pCallCreatesTheCallerLegEstablishingAndOutgoing() {
        CallScenario s = p2p();
        Call caller = s.placed.created().get(0);
        assertThat(caller.direction()).isEqualTo(Direction.OUTGOING);
        assertThat(caller.state()).isEqualTo(CallState.ESTABLISHING);
        assertThat(caller.ownerAppId()).isEqualTo(CALLER_APP);
        assertThat(caller.tenantId()).isEqualTo(TENANT);
        assertThat(caller.callbackUri()).isEqualTo(CALLER_CALLBACK);
        assertThat(caller.version()).isZero();
        assertThat(caller.answerDeadline()).isEmpty();
        assertThat(caller.ending()).isEmpty();
        assertThat(caller.createdAt()).isEqualTo(T0);
        assertThat(caller.updatedAt()).isEqualTo(T0);
        assertThat(s.placed.changed()).isEmpty();
    }

    @Test
    void placingAP2pCallOffersOneIncomingLegWithADeadlineOfNowPlusTheAnswerTimeout() {
        CallScenario s = p2p();
        assertThat(s.placed.created()).hasSize(2);
        Call callee = s.placed.created().get(1);
        assertThat(callee.direction()).isEqualTo(Direction.INCOMING);
        assertThat(callee.state()).isEqualTo(CallState.INCOMING);
        assertThat(callee.ownerAppId()).isEqualTo(CALLEE_APP);
        assertThat(callee.callbackUri()).isEqualTo("https://app-callee.example/cb");
        assertThat(callee.answerDeadline()).contains(T0.plus(TIMEOUT));
        assertThat(callee.version()).isZero();
        assertThat(callee.ending()).isEmpty();
        assertThat(callee.invitation()).isEmpty();
        assertThat(callee.requestedModalities()).containsExactly(Modality.AUDIO);
        assertThat(callee.targets()).containsExactly(party(CALLEE_APP));
    }

    @Test
    void placingACallOwesOneCreatedNoticePerOfferedLegInStateIncomingAndNoneForTheCaller() {
        CallScenario s = group();
        List<Call> callees = s.callees();
        assertThat(s.placed.notices()).containsExactly(
                new Notice(ChangeType.CREATED, callees.get(0)),
                new Notice(ChangeType.CREATED, callees.get(1)));
        assertThat(s.placed.notices()).allSatisfy(n -> assertThat(n.call().state()).isEqualTo(CallState.INCOMING));
    }

    @Test
    void allLegsOfAPlacedCallShareOneCallChainIdAndHaveDistinctIds() {
        CallScenario s = group();
        assertThat(s.placed.created()).extracting(Call::callChainId).containsOnly(s.caller().callChainId());
        assertThat(s.placed.created()).extracting(Call::id).doesNotHaveDuplicates();
        assertThat(s.placed.created()).extracting(Call::myParticipantId).doesNotHaveDuplicates();
    }

    @Test
    void placingUsesTheIdSupplierDeterministically() {
        CallScenario s = p2p();
        assertThat(s.caller().callChainId()).isEqualTo("id-1");
        assertThat(s.caller().source().participantId()).contains("id-2");
        assertThat(s.caller().id()).isEqualTo("id-3");
        assertThat(s.callee().id()).isEqualTo("id-4");
        assertThat(s.callee().myParticipantId()).isEqualTo("id-5");
    }

    @Test
    void aSourceWithoutParticipantIdGetsOneAndItIsTheCallersOwnParticipantIdOnEveryLeg() {
        CallScenario s = group();
        String participantId = s.caller().source().participantId().orElseThrow();
        assertThat(s.caller().myParticipantId()).isEqualTo(participantId);
        assertThat(s.callees()).allSatisfy(c -> assertThat(c.source()).isEqualTo(s.caller().source()));
    }

    @Test
    void aSourceThatAlreadyHasAParticipantIdKeepsIt() {
        CallScenario s = new CallScenario();
        PlaceCall base = request(List.of(offer(CALLEE_APP)), Optional.empty());
        PlaceCall request = new PlaceCall(base.tenantId(), base.callerAppId(), base.callbackUri(),
                base.source().withParticipantId("p-given"), base.targets(), base.offers(),
                base.requestedModalities(), base.invitation(), base.retryKey());
        s.place(request, T0);
        assertThat(s.caller().myParticipantId()).isEqualTo("p-given");
        assertThat(s.callee().source().participantId()).contains("p-given");
        assertThat(s.caller().id()).as("no id spent on a participant id").isEqualTo("id-2");
    }

    @Test
    void aGroupInvitationCarriesItsInvitationOnEveryLeg() {
        CallScenario s = group();
        assertThat(s.placed.created()).hasSize(3)
                .allSatisfy(c -> assertThat(c.invitation()).contains(INVITATION));
        assertThat(s.callees()).extracting(Call::ownerAppId).containsExactly(CALLEE_APP, SECOND_APP);
        assertThat(s.callees()).allSatisfy(c -> assertThat(c.answerDeadline()).contains(T0.plus(TIMEOUT)));
    }

    @Test
    void aCallWithoutOffersCannotBePlaced() {
        assertThatThrownBy(() -> request(List.of(), Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theAnswerTimeoutMustBePositive() {
        assertThatThrownBy(() -> new CallMachine(Duration.ZERO, () -> "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CallMachine(Duration.ofSeconds(-1), () -> "x"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new CallMachine(Duration.ofSeconds(15), () -> "x").answerTimeout()).isEqualTo(Duration.ofSeconds(15));
    }

    // --- what every transition respects ---

    /** One applied transition of each kind: a setup from a fresh p2p call, then the command under test. */
    private record Transition(String name, Consumer<CallScenario> setup, Function<CallScenario, Command> command,
                              long atSecond) {
        static Transition of(String name, Function<CallScenario, Command> command, long atSecond) {
            return new Transition(name, s -> {}, command, atSecond);
        }

        static Transition afterAnswer(String name, Function<CallScenario, Command> command) {
            return new Transition(name, s -> s.apply(answer(s.callee()), at(1)), command, 2);
        }
    }

    private static List<Transition> everyTransition() {
        return List.of(
                Transition.of("reject none", s -> reject(s.callee(), RejectReason.NONE), 1),
                Transition.of("reject busy", s -> reject(s.callee(), RejectReason.BUSY), 1),
                Transition.of("reject forbidden", s -> reject(s.callee(), RejectReason.FORBIDDEN), 1),
                Transition.of("answer", s -> answer(s.callee()), 1),
                Transition.of("redirect", s -> redirect(s.callee(), offer(SECOND_APP), offer(THIRD_APP)), 1),
                Transition.of("timeout", s -> timeout(s.callee()), 15),
                Transition.of("caller cancels", s -> hangup(s.caller()), 1),
                Transition.afterAnswer("caller hangs up", s -> hangup(s.caller())),
                Transition.afterAnswer("callee hangs up", s -> hangup(s.callee())));
    }

    @Test
    void everyChangedLegHasVersionPlusOneAndIsStampedWithNow() {
        for (Transition t : everyTransition()) {
            CallScenario s = p2p();
            t.setup().accept(s);
            Conversation before = s.conversation();
            Verdict.Applied applied = s.apply(t.command().apply(s), at(t.atSecond()));
            assertThat(applied.changed()).as(t.name()).isNotEmpty();
            for (Call changed : applied.changed()) {
                Call was = before.leg(changed.id()).orElseThrow();
                assertThat(changed.version()).as(t.name()).isEqualTo(was.version() + 1);
                assertThat(changed.updatedAt()).as(t.name()).isEqualTo(at(t.atSecond()));
                assertThat(changed.createdAt()).as(t.name()).isEqualTo(was.createdAt());
                assertThat(s.conversation().leg(changed.id())).as(t.name()).contains(changed);
            }
            for (Call created : applied.created()) {
                assertThat(before.leg(created.id())).as(t.name()).isEmpty();
                assertThat(created.version()).as(t.name()).isZero();
            }
        }
    }

    @Test
    void aSingleTransitionBumpsEachChangedLegByExactlyOne() {
        CallScenario s = p2p();
        Verdict.Applied rejected = s.apply(reject(s.callee(), RejectReason.BUSY), at(1));
        assertThat(rejected.changed()).extracting(Call::version).containsExactly(1L, 1L);

        CallScenario t = p2p();
        t.apply(answer(t.callee()), at(1));
        Verdict.Applied hungUp = t.apply(hangup(t.caller()), at(2));
        assertThat(hungUp.changed()).extracting(Call::version).containsExactly(2L, 2L);
    }

    @Test
    void endedLegsHaveNoAnswerDeadlineAndAResultInfoFromTheirEnding() {
        for (Transition t : everyTransition()) {
            CallScenario s = p2p();
            t.setup().accept(s);
            s.apply(t.command().apply(s), at(t.atSecond()));
            for (Call leg : s.conversation().legs()) {
                if (leg.state() == CallState.TERMINATED) {
                    assertThat(leg.answerDeadline()).isEmpty();
                    assertThat(leg.ending()).isPresent();
                    assertThat(leg.resultInfo()).contains(leg.ending().orElseThrow().result());
                } else {
                    assertThat(leg.ending()).isEmpty();
                    assertThat(leg.resultInfo()).isEmpty();
                }
                if (leg.state() != CallState.INCOMING) assertThat(leg.answerDeadline()).isEmpty();
            }
        }
    }

    @Test
    void everyNoticeShowsALegThatTheSameVerdictWritesOrCreates() {
        for (Transition t : everyTransition()) {
            CallScenario s = p2p();
            t.setup().accept(s);
            Verdict.Applied applied = s.apply(t.command().apply(s), at(t.atSecond()));
            List<String> written = Stream.concat(applied.changed().stream(), applied.created().stream())
                    .map(Call::id).toList();
            assertThat(applied.notices()).extracting(n -> n.call().id()).allMatch(written::contains);
        }
    }

    @Test
    void aCallRefusesAnEndingWithoutTheTerminatedState() {
        Call ringing = p2p().callee();
        assertThatThrownBy(() -> copy(ringing, CallState.ESTABLISHED, Optional.of(new Ending.TimedOut())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> copy(ringing, CallState.INCOMING, Optional.of(new Ending.Rejected(RejectReason.BUSY))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aCallRefusesTheTerminatedStateWithoutAnEnding() {
        Call ringing = p2p().callee();
        assertThatThrownBy(() -> copy(ringing, CallState.TERMINATED, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(copy(ringing, CallState.TERMINATED, Optional.of(new Ending.TimedOut())).resultInfo())
                .contains(ResultInfo.TIMED_OUT);
    }

    @Test
    void aNotificationSnapshotOfAnIntermediateStateKeepsTheStoredVersion() {
        Call ringing = p2p().callee();
        Call showing = ringing.showing(CallState.ESTABLISHING);
        assertThat(showing.version()).isEqualTo(ringing.version());
        assertThat(showing.state()).isEqualTo(CallState.ESTABLISHING);
        assertThat(showing.answerDeadline()).isEmpty();
    }

    @Test
    void aCallIsOwnedOnlyByItsAppInItsTenant() {
        Call ringing = p2p().callee();
        assertThat(ringing.isOwnedBy(TENANT, CALLEE_APP)).isTrue();
        assertThat(ringing.isOwnedBy(TENANT, CALLER_APP)).isFalse();
        assertThat(ringing.isOwnedBy(OTHER_TENANT, CALLEE_APP)).isFalse();
    }

    private static Call copy(Call c, CallState state, Optional<Ending> ending) {
        return new Call(c.id(), c.tenantId(), c.ownerAppId(), c.direction(), state, c.version(), c.callbackUri(),
                c.source(), c.targets(), c.requestedModalities(), c.invitation(), c.callChainId(), c.myParticipantId(),
                Optional.empty(), ending, c.createdAt(), c.updatedAt());
    }
}
