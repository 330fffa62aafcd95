package dev.switchboard.core.calls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.Optional;

import static dev.switchboard.core.calls.CallScenario.*;
import static org.assertj.core.api.Assertions.assertThat;

/** {@code POST /calls/{id}/reject}: only an incoming call, only by its owner, exactly once. */
class RejectTest {

    @ParameterizedTest
    @EnumSource(RejectReason.class)
    void rejectEndsTheCalleeLegAsRejectedWithTheReasonsResultInfo(RejectReason reason) {
        CallScenario s = p2p();
        Verdict.Applied applied = s.apply(reject(s.callee(), reason), at(3));
        Call callee = s.callee();
        assertThat(callee.state()).isEqualTo(CallState.TERMINATED);
        assertThat(callee.ending()).contains(new Ending.Rejected(reason));
        assertThat(callee.resultInfo()).contains(reason.result());
        assertThat(callee.answerDeadline()).isEmpty();
        assertThat(callee.updatedAt()).isEqualTo(at(3));
        assertThat(applied.created()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(RejectReason.class)
    void rejectEndsTheCallerLegAsPeerRejectedWithTheSameResultInfo(RejectReason reason) {
        CallScenario s = p2p();
        s.apply(reject(s.callee(), reason), at(3));
        Call caller = s.caller();
        assertThat(caller.state()).isEqualTo(CallState.TERMINATED);
        assertThat(caller.ending()).contains(new Ending.PeerRejected(reason));
        assertThat(caller.resultInfo()).isEqualTo(s.callee().resultInfo());
    }

    @Test
    void rejectResultInfosAreTheDecidedOnes() {
        assertThat(RejectReason.NONE.result()).isEqualTo(new ResultInfo(603, 0, "Declined"));
        assertThat(RejectReason.BUSY.result()).isEqualTo(new ResultInfo(486, 0, "Busy"));
        assertThat(RejectReason.FORBIDDEN.result()).isEqualTo(new ResultInfo(403, 0, "Forbidden"));
    }

    @ParameterizedTest
    @EnumSource(RejectReason.class)
    void rejectOwesExactlyOneDeletedNoticeToTheCalleeThenOneToTheCaller(RejectReason reason) {
        CallScenario s = p2p();
        Verdict.Applied applied = s.apply(reject(s.callee(), reason), at(3));
        assertThat(applied.notices()).containsExactly(
                new Notice(ChangeType.DELETED, s.callee()),
                new Notice(ChangeType.DELETED, s.caller()));
        assertThat(applied.changed()).containsExactly(s.callee(), s.caller());
    }

    @Test
    void rejectWithACallbackUriReplacesTheCalleeLegsCallback() {
        CallScenario s = p2p();
        Call ringing = s.callee();
        Verdict.Applied applied = s.apply(new Command.Reject(ringing.id(), TENANT, CALLEE_APP, RejectReason.BUSY,
                Optional.of("https://elsewhere.example/cb")), at(3));
        assertThat(s.callee().callbackUri()).isEqualTo("https://elsewhere.example/cb");
        assertThat(noticed(applied, ringing.id(), ChangeType.DELETED).callbackUri())
                .isEqualTo("https://elsewhere.example/cb");
        assertThat(s.caller().callbackUri()).as("the caller's callback is its own").isEqualTo(CALLER_CALLBACK);
    }

    @Test
    void rejectWithoutACallbackUriKeepsTheCalleeLegsCallback() {
        CallScenario s = p2p();
        s.apply(reject(s.callee(), RejectReason.NONE), at(3));
        assertThat(s.callee().callbackUri()).isEqualTo("https://app-callee.example/cb");
    }

    @ParameterizedTest
    @EnumSource(RejectReason.class)
    void aRetriedRejectWithTheSameReasonIsAlreadyApplied(RejectReason reason) {
        CallScenario s = p2p();
        s.apply(reject(s.callee(), reason), at(3));
        assertThat(s.decide(reject(s.callee(), reason), at(4))).isEqualTo(new Verdict.AlreadyApplied());
    }

    @Test
    void aRejectWithAnotherReasonAfterARejectIsNotAllowedAndNamesTheFirstReason() {
        CallScenario s = p2p();
        s.apply(reject(s.callee(), RejectReason.BUSY), at(3));
        assertThat(notAllowedMessage(s.decide(reject(s.callee(), RejectReason.NONE), at(4)))).contains("busy");
        assertThat(s.decide(reject(s.callee(), RejectReason.FORBIDDEN), at(4))).isInstanceOf(Verdict.NotAllowed.class);
    }

    @Test
    void rejectOfAnAnsweredCallIsNotAllowedAndPointsToDelete() {
        CallScenario s = p2p();
        s.apply(answer(s.callee()), at(2));
        String message = notAllowedMessage(s.decide(reject(s.callee(), RejectReason.BUSY), at(3)));
        assertThat(message).contains("DELETE").contains("established");
    }

    @Test
    void rejectOfAnEstablishingIncomingLegIsNotAllowedAndPointsToDelete() {
        CallScenario s = p2p();
        s.store(s.callee().moveTo(CallState.ESTABLISHING, at(1)));
        String message = notAllowedMessage(s.decide(reject(s.callee(), RejectReason.NONE), at(2)));
        assertThat(message).contains("DELETE").contains("establishing");
    }

    @Test
    void rejectOfATerminatingIncomingLegIsNotAllowed() {
        CallScenario s = p2p();
        s.store(s.callee().moveTo(CallState.TERMINATING, at(1)));
        assertThat(s.decide(reject(s.callee(), RejectReason.NONE), at(2))).isInstanceOf(Verdict.NotAllowed.class);
    }

    @Test
    void rejectOfTheCallersOwnOutgoingLegIsNotAllowedAndPointsToDelete() {
        CallScenario s = p2p();
        assertThat(notAllowedMessage(s.decide(reject(s.caller(), RejectReason.NONE), at(1)))).contains("DELETE");
    }

    @Test
    void rejectOfATimedOutCallIsNotFound() {
        CallScenario s = p2p();
        s.apply(timeout(s.callee()), at(15));
        assertThat(s.decide(reject(s.callee(), RejectReason.BUSY), at(16))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void rejectOfACallTheCallerCancelledIsNotFound() {
        CallScenario s = p2p();
        s.apply(hangup(s.caller()), at(2));
        assertThat(s.callee().ending()).contains(new Ending.CallerCancelled());
        assertThat(s.decide(reject(s.callee(), RejectReason.BUSY), at(3))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void rejectOfARedirectedCallIsNotFound() {
        CallScenario s = p2p();
        Call original = s.callee();
        s.apply(redirect(original, offer(SECOND_APP)), at(2));
        assertThat(s.decide(reject(original, RejectReason.BUSY), at(3))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void rejectOfACallThatWasAnsweredAndEndedIsNotFound() {
        CallScenario s = p2p();
        s.apply(answer(s.callee()), at(2));
        s.apply(hangup(s.caller()), at(3));
        assertThat(s.decide(reject(s.callee(), RejectReason.NONE), at(4))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void rejectByAnotherAppIsNotFound() {
        CallScenario s = p2p();
        Call ringing = s.callee();
        for (String app : List.of(CALLER_APP, SECOND_APP, STRANGER_APP)) {
            assertThat(s.decide(new Command.Reject(ringing.id(), TENANT, app, RejectReason.BUSY, Optional.empty()), at(1)))
                    .as(app).isEqualTo(new Verdict.NotFound());
        }
    }

    @Test
    void rejectByTheSameAppInAnotherTenantIsNotFound() {
        CallScenario s = p2p();
        Call ringing = s.callee();
        assertThat(s.decide(new Command.Reject(ringing.id(), OTHER_TENANT, CALLEE_APP, RejectReason.BUSY,
                Optional.empty()), at(1))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void rejectByAnotherAppOfAnAlreadyRejectedCallIsNotFoundNotARetry() {
        CallScenario s = p2p();
        s.apply(reject(s.callee(), RejectReason.BUSY), at(1));
        assertThat(s.decide(new Command.Reject(s.callee().id(), TENANT, STRANGER_APP, RejectReason.BUSY,
                Optional.empty()), at(2))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void rejectOfAnUnknownIdIsNotFound() {
        CallScenario s = p2p();
        assertThat(s.decide(new Command.Reject("no-such-call", TENANT, CALLEE_APP, RejectReason.NONE, Optional.empty()),
                at(1))).isEqualTo(new Verdict.NotFound());
        assertThat(new CallScenario().machine.decide(
                new Command.Reject("no-such-call", TENANT, CALLEE_APP, RejectReason.NONE, Optional.empty()),
                new Conversation(List.of()), at(1))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void rejectingOneOfTwoGroupOffersLeavesTheCallerEstablishing() {
        CallScenario s = group();
        Call first = s.callees().get(0);
        Verdict.Applied applied = s.apply(reject(first, RejectReason.BUSY), at(2));
        assertThat(summary(applied.notices())).containsExactly(line(ChangeType.DELETED, first, CallState.TERMINATED));
        assertThat(s.caller().state()).isEqualTo(CallState.ESTABLISHING);
        assertThat(s.caller().version()).isZero();
        assertThat(s.callees().get(1).state()).isEqualTo(CallState.INCOMING);
    }

    @Test
    void rejectingTheLastOpenGroupOfferEndsTheCallerToo() {
        CallScenario s = group();
        s.apply(reject(s.callees().get(0), RejectReason.BUSY), at(2));
        Call second = s.callees().get(1);
        Verdict.Applied applied = s.apply(reject(second, RejectReason.FORBIDDEN), at(3));
        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.DELETED, second, CallState.TERMINATED),
                line(ChangeType.DELETED, s.caller(), CallState.TERMINATED));
        assertThat(s.caller().ending()).contains(new Ending.PeerRejected(RejectReason.FORBIDDEN));
    }

    @Test
    void whenTheOtherGroupOfferTimesOutAfterARejectTheCallerSeesTheTimeout() {
        CallScenario s = group();
        s.apply(reject(s.callees().get(0), RejectReason.BUSY), at(2));
        s.apply(timeout(s.callees().get(1)), at(15));
        assertThat(s.caller().ending()).contains(new Ending.TimedOut());
    }

    @Test
    void rejectingAGroupOfferAfterTheOtherWasAnsweredLeavesTheCallerEstablished() {
        CallScenario s = group();
        s.apply(answer(s.callees().get(0)), at(2));
        Call caller = s.caller();
        Verdict.Applied applied = s.apply(reject(s.callees().get(1), RejectReason.NONE), at(3));
        assertThat(applied.changed()).containsExactly(s.callees().get(1));
        assertThat(s.caller()).isEqualTo(caller);
        assertThat(s.caller().state()).isEqualTo(CallState.ESTABLISHED);
    }
}
