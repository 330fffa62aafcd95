package dev.switchboard.core.calls;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.switchboard.core.calls.CallScenario.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /calls/{id}/answer} and {@code DELETE /calls/{id}}. */
class AnswerAndHangupTest {

    // --- answer ---

    @Test
    void answerNotifiesTheCalleeEstablishingThenEstablishedThenTheCallerEstablished() {
        CallScenario s = p2p();
        Verdict.Applied applied = s.apply(answer(s.callee()), at(2));
        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.UPDATED, s.callee(), CallState.ESTABLISHING),
                line(ChangeType.UPDATED, s.callee(), CallState.ESTABLISHED),
                line(ChangeType.UPDATED, s.caller(), CallState.ESTABLISHED));
        assertThat(applied.notices().get(1).call()).isEqualTo(s.callee());
        assertThat(applied.notices().get(2).call()).isEqualTo(s.caller());
    }

    @Test
    void answerStoresTheCalleeLegEstablishedWithVersionPlusOneAndNoDeadline() {
        CallScenario s = p2p();
        Verdict.Applied applied = s.apply(answer(s.callee()), at(2));
        Call callee = s.callee();
        assertThat(callee.state()).isEqualTo(CallState.ESTABLISHED);
        assertThat(callee.version()).isEqualTo(1);
        assertThat(callee.answerDeadline()).isEmpty();
        assertThat(callee.ending()).isEmpty();
        assertThat(callee.updatedAt()).isEqualTo(at(2));
        assertThat(applied.changed()).containsExactly(callee, s.caller());
        assertThat(applied.created()).isEmpty();
        assertThat(applied.changed()).as("the establishing step is shown, never stored")
                .noneMatch(c -> c.state() == CallState.ESTABLISHING);
    }

    @Test
    void answerMovesTheCallerLegToEstablishedWithVersionPlusOne() {
        CallScenario s = p2p();
        s.apply(answer(s.callee()), at(2));
        assertThat(s.caller().state()).isEqualTo(CallState.ESTABLISHED);
        assertThat(s.caller().version()).isEqualTo(1);
    }

    @Test
    void theEstablishingSnapshotOfAnAnswerIsTheAnsweredLegInItsIntermediateState() {
        CallScenario s = p2p();
        Verdict.Applied applied = s.apply(answer(s.callee()), at(2));
        assertThat(applied.notices().get(0).call()).isEqualTo(s.callee().showing(CallState.ESTABLISHING));
    }

    @Test
    void answerWithACallbackUriReplacesTheCalleeLegsCallbackInBothNotices() {
        CallScenario s = p2p();
        Call ringing = s.callee();
        Verdict.Applied applied = s.apply(new Command.Answer(ringing.id(), TENANT, CALLEE_APP,
                Optional.of("https://elsewhere.example/cb"), List.of(Modality.AUDIO)), at(2));
        assertThat(s.callee().callbackUri()).isEqualTo("https://elsewhere.example/cb");
        assertThat(applied.notices().subList(0, 2))
                .allSatisfy(n -> assertThat(n.call().callbackUri()).isEqualTo("https://elsewhere.example/cb"));
    }

    @Test
    void aRepeatedAnswerIsAlreadyApplied() {
        CallScenario s = p2p();
        s.apply(answer(s.callee()), at(2));
        assertThat(s.decide(answer(s.callee()), at(3))).isEqualTo(new Verdict.AlreadyApplied());
    }

    @Test
    void answerOfAnEstablishingIncomingLegIsAlreadyApplied() {
        CallScenario s = p2p();
        s.store(s.callee().moveTo(CallState.ESTABLISHING, at(1)));
        assertThat(s.decide(answer(s.callee()), at(2))).isEqualTo(new Verdict.AlreadyApplied());
    }

    @Test
    void answerOfATerminatingIncomingLegIsNotAllowed() {
        CallScenario s = p2p();
        s.store(s.callee().moveTo(CallState.TERMINATING, at(1)));
        assertThat(s.decide(answer(s.callee()), at(2))).isInstanceOf(Verdict.NotAllowed.class);
    }

    @Test
    void answerAfterTheCallEndedIsNotFound() {
        for (RejectReason reason : RejectReason.values()) {
            CallScenario s = p2p();
            s.apply(reject(s.callee(), reason), at(2));
            assertThat(s.decide(answer(s.callee()), at(3))).as(reason.wireName()).isEqualTo(new Verdict.NotFound());
        }
        CallScenario timedOut = p2p();
        timedOut.apply(timeout(timedOut.callee()), at(15));
        assertThat(timedOut.decide(answer(timedOut.callee()), at(16))).isEqualTo(new Verdict.NotFound());

        CallScenario cancelled = p2p();
        cancelled.apply(hangup(cancelled.caller()), at(2));
        assertThat(cancelled.decide(answer(cancelled.callee()), at(3))).isEqualTo(new Verdict.NotFound());

        CallScenario hungUp = p2p();
        hungUp.apply(answer(hungUp.callee()), at(2));
        hungUp.apply(hangup(hungUp.callee()), at(3));
        assertThat(hungUp.decide(answer(hungUp.callee()), at(4))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void answerOfAnOutgoingLegIsNotAllowed() {
        CallScenario s = p2p();
        assertThat(s.decide(answer(s.caller()), at(1))).isInstanceOf(Verdict.NotAllowed.class);
    }

    @Test
    void answerByAnotherAppOrTenantIsNotFound() {
        CallScenario s = p2p();
        Call ringing = s.callee();
        assertThat(s.decide(new Command.Answer(ringing.id(), TENANT, STRANGER_APP, Optional.empty(), List.of()), at(1)))
                .isEqualTo(new Verdict.NotFound());
        assertThat(s.decide(new Command.Answer(ringing.id(), TENANT, CALLER_APP, Optional.empty(), List.of()), at(1)))
                .isEqualTo(new Verdict.NotFound());
        assertThat(s.decide(new Command.Answer(ringing.id(), OTHER_TENANT, CALLEE_APP, Optional.empty(), List.of()),
                at(1))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void answerOfAnUnknownIdIsNotFound() {
        CallScenario s = p2p();
        assertThat(s.decide(new Command.Answer("no-such-call", TENANT, CALLEE_APP, Optional.empty(), List.of()), at(1)))
                .isEqualTo(new Verdict.NotFound());
    }

    @Test
    void answeringTheSecondGroupOfferLeavesTheAlreadyEstablishedCallerAlone() {
        CallScenario s = group();
        s.apply(answer(s.callees().get(0)), at(2));
        Call caller = s.caller();
        Verdict.Applied applied = s.apply(answer(s.callees().get(1)), at(3));
        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.UPDATED, s.callees().get(1), CallState.ESTABLISHING),
                line(ChangeType.UPDATED, s.callees().get(1), CallState.ESTABLISHED));
        assertThat(s.caller()).isEqualTo(caller);
    }

    // --- hangup (DELETE) ---

    @Test
    void callerHangingUpWhileRingingEndsItsLegAndCancelsTheCallee() {
        CallScenario s = p2p();
        Verdict.Applied applied = s.apply(hangup(s.caller()), at(4));
        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.UPDATED, s.caller(), CallState.TERMINATING),
                line(ChangeType.DELETED, s.caller(), CallState.TERMINATED),
                line(ChangeType.DELETED, s.callee(), CallState.TERMINATED));
        assertThat(s.caller().ending()).contains(new Ending.EndedByOwner());
        assertThat(s.caller().resultInfo()).contains(new ResultInfo(200, 7000, "The call was ended by the application."));
        assertThat(s.callee().ending()).contains(new Ending.CallerCancelled());
        assertThat(s.callee().resultInfo()).contains(new ResultInfo(487, 0, "The caller cancelled the call."));
        assertThat(s.callee().answerDeadline()).isEmpty();
        assertThat(applied.changed()).containsExactly(s.caller(), s.callee());
    }

    @Test
    void theTerminatingSnapshotOfAHangupIsNeverStored() {
        CallScenario s = p2p();
        Verdict.Applied applied = s.apply(hangup(s.caller()), at(4));
        assertThat(applied.notices().get(0).call().state()).isEqualTo(CallState.TERMINATING);
        assertThat(applied.notices().get(0).call().ending()).isEmpty();
        assertThat(applied.changed()).allMatch(c -> c.state() == CallState.TERMINATED);
    }

    @Test
    void callerHangingUpAnEstablishedCallEndsTheCalleeAsRemoteEnded() {
        CallScenario s = p2p();
        s.apply(answer(s.callee()), at(2));
        Verdict.Applied applied = s.apply(hangup(s.caller()), at(9));
        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.UPDATED, s.caller(), CallState.TERMINATING),
                line(ChangeType.DELETED, s.caller(), CallState.TERMINATED),
                line(ChangeType.DELETED, s.callee(), CallState.TERMINATED));
        assertThat(s.caller().resultInfo()).contains(ResultInfo.ENDED_BY_APP);
        assertThat(s.callee().ending()).contains(new Ending.RemoteEnded());
        assertThat(s.callee().resultInfo()).contains(ResultInfo.REMOTE_ENDED);
    }

    @Test
    void calleeHangingUpAnEstablishedCallEndsItWith200And7000AndTheCallerAsRemoteEnded() {
        CallScenario s = p2p();
        s.apply(answer(s.callee()), at(2));
        Verdict.Applied applied = s.apply(hangup(s.callee()), at(9));
        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.UPDATED, s.callee(), CallState.TERMINATING),
                line(ChangeType.DELETED, s.callee(), CallState.TERMINATED),
                line(ChangeType.DELETED, s.caller(), CallState.TERMINATED));
        assertThat(s.callee().ending()).contains(new Ending.EndedByOwner());
        assertThat(s.callee().resultInfo()).contains(ResultInfo.ENDED_BY_APP);
        assertThat(s.caller().ending()).contains(new Ending.RemoteEnded());
    }

    @Test
    void callerHangingUpAGroupInvitationCancelsRingingOffersAndEndsAnsweredOnes() {
        CallScenario s = group();
        s.apply(answer(s.callees().get(0)), at(2));
        s.apply(hangup(s.caller()), at(5));
        assertThat(s.callees().get(0).ending()).contains(new Ending.RemoteEnded());
        assertThat(s.callees().get(1).ending()).contains(new Ending.CallerCancelled());
    }

    @Test
    void callerHangingUpLeavesAlreadyEndedOffersAlone() {
        CallScenario s = group();
        s.apply(reject(s.callees().get(0), RejectReason.BUSY), at(2));
        Call rejected = s.callees().get(0);
        Verdict.Applied applied = s.apply(hangup(s.caller()), at(5));
        assertThat(applied.changed()).extracting(Call::id).containsExactly(s.caller().id(), s.callees().get(1).id());
        assertThat(s.callees().get(0)).isEqualTo(rejected);
    }

    @Test
    void oneGroupCalleeHangingUpLeavesTheCallerWhileAnotherCalleeIsEstablished() {
        CallScenario s = group();
        s.apply(answer(s.callees().get(0)), at(2));
        s.apply(answer(s.callees().get(1)), at(3));
        Verdict.Applied applied = s.apply(hangup(s.callees().get(0)), at(5));
        assertThat(applied.changed()).containsExactly(s.callees().get(0));
        assertThat(s.caller().state()).isEqualTo(CallState.ESTABLISHED);
        s.apply(hangup(s.callees().get(1)), at(6));
        assertThat(s.caller().ending()).contains(new Ending.RemoteEnded());
    }

    @Test
    void hangupOfAnIncomingUnansweredLegIsNotAllowedAndPointsToReject() {
        CallScenario s = p2p();
        assertThat(notAllowedMessage(s.decide(hangup(s.callee()), at(1)))).contains("reject");
    }

    @Test
    void aRepeatedHangupAfterEndingItsOwnLegIsAlreadyApplied() {
        CallScenario s = p2p();
        s.apply(hangup(s.caller()), at(2));
        assertThat(s.decide(hangup(s.caller()), at(3))).isEqualTo(new Verdict.AlreadyApplied());

        CallScenario t = p2p();
        t.apply(answer(t.callee()), at(2));
        t.apply(hangup(t.callee()), at(3));
        assertThat(t.decide(hangup(t.callee()), at(4))).isEqualTo(new Verdict.AlreadyApplied());
    }

    @Test
    void hangupOfATerminatingLegIsAlreadyApplied() {
        CallScenario s = p2p();
        s.store(s.caller().moveTo(CallState.TERMINATING, at(1)));
        assertThat(s.decide(hangup(s.caller()), at(2))).isEqualTo(new Verdict.AlreadyApplied());
    }

    @Test
    void hangupOfALegThatEndedOtherwiseIsNotFound() {
        CallScenario remote = p2p();
        remote.apply(answer(remote.callee()), at(2));
        remote.apply(hangup(remote.callee()), at(3));
        assertThat(remote.decide(hangup(remote.caller()), at(4))).as("remote ended").isEqualTo(new Verdict.NotFound());

        CallScenario rejected = p2p();
        rejected.apply(reject(rejected.callee(), RejectReason.BUSY), at(2));
        assertThat(rejected.decide(hangup(rejected.caller()), at(3))).as("peer rejected").isEqualTo(new Verdict.NotFound());
        assertThat(rejected.decide(hangup(rejected.callee()), at(3))).as("rejected").isEqualTo(new Verdict.NotFound());

        CallScenario timedOut = p2p();
        timedOut.apply(timeout(timedOut.callee()), at(15));
        assertThat(timedOut.decide(hangup(timedOut.caller()), at(16))).as("timed out").isEqualTo(new Verdict.NotFound());

        CallScenario cancelled = p2p();
        cancelled.apply(hangup(cancelled.caller()), at(2));
        assertThat(cancelled.decide(hangup(cancelled.callee()), at(3))).as("cancelled").isEqualTo(new Verdict.NotFound());
    }

    @Test
    void hangupByAnotherAppOrTenantIsNotFound() {
        CallScenario s = p2p();
        s.apply(answer(s.callee()), at(2));
        Call caller = s.caller();
        assertThat(s.decide(new Command.Hangup(caller.id(), TENANT, CALLEE_APP), at(3))).isEqualTo(new Verdict.NotFound());
        assertThat(s.decide(new Command.Hangup(caller.id(), OTHER_TENANT, CALLER_APP), at(3)))
                .isEqualTo(new Verdict.NotFound());
        assertThat(s.decide(new Command.Hangup("no-such-call", TENANT, CALLER_APP), at(3)))
                .isEqualTo(new Verdict.NotFound());
    }
}
