package dev.switchboard.core.calls;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static dev.switchboard.core.calls.CallScenario.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The 15-second rule, and {@code POST /calls/{id}/redirect}. */
class TimeoutAndRedirectTest {

    // --- timeout ---

    @Test
    void aTimeoutBeforeTheDeadlineIsNotDue() {
        CallScenario s = p2p();
        assertThat(s.decide(timeout(s.callee()), at(0))).isEqualTo(new Verdict.NotDue());
        assertThat(s.decide(timeout(s.callee()), T0.plus(TIMEOUT).minusMillis(1))).isEqualTo(new Verdict.NotDue());
    }

    @Test
    void aTimeoutExactlyAtTheDeadlineEndsBothLegsWith408And8544() {
        CallScenario s = p2p();
        Verdict.Applied applied = s.apply(timeout(s.callee()), T0.plus(TIMEOUT));
        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.DELETED, s.callee(), CallState.TERMINATED),
                line(ChangeType.DELETED, s.caller(), CallState.TERMINATED));
        ResultInfo expected = new ResultInfo(408, 8544, "Callee could not be reached.");
        assertThat(s.callee().resultInfo()).contains(expected);
        assertThat(s.caller().resultInfo()).contains(expected);
        assertThat(s.callee().ending()).contains(new Ending.TimedOut());
        assertThat(s.caller().ending()).contains(new Ending.TimedOut());
        assertThat(applied.changed()).containsExactly(s.callee(), s.caller());
        assertThat(applied.changed()).extracting(Call::version).containsExactly(1L, 1L);
    }

    @Test
    void anOfferThatRingsLongerTimesOutOnItsOwnDeadlineAndCanBeAnsweredBeforeIt() {
        CallScenario s = new CallScenario();
        Offer phone = new Offer(TENANT, NETWORK_APP, phone("+4940555"), "switchboard-sip://node-1", true,
                java.util.Optional.of(java.time.Duration.ofSeconds(60)));
        s.place(request(java.util.List.of(phone), java.util.Optional.empty()), T0);

        assertThat(s.callee().answerDeadline()).contains(at(60));
        assertThat(s.decide(timeout(s.callee()), at(59))).isEqualTo(new Verdict.NotDue());
        s.apply(answer(s.callee()), at(30));
        assertThat(s.caller().state()).isEqualTo(CallState.ESTABLISHED);
    }

    @Test
    void aLateTimeoutAfterTheDeadlineStillEndsTheCall() {
        CallScenario s = p2p();
        s.apply(timeout(s.callee()), at(60));
        assertThat(s.callee().ending()).contains(new Ending.TimedOut());
        assertThat(s.callee().updatedAt()).isEqualTo(at(60));
    }

    @Test
    void aRepeatedTimeoutIsNotDue() {
        CallScenario s = p2p();
        s.apply(timeout(s.callee()), at(15));
        assertThat(s.decide(timeout(s.callee()), at(16))).isEqualTo(new Verdict.NotDue());
    }

    @Test
    void aTimeoutOfAnAnsweredCallIsNotDue() {
        CallScenario s = p2p();
        s.apply(answer(s.callee()), at(2));
        assertThat(s.decide(timeout(s.callee()), at(15))).isEqualTo(new Verdict.NotDue());
        assertThat(s.decide(timeout(s.callee()), at(100))).isEqualTo(new Verdict.NotDue());
    }

    @Test
    void aTimeoutOfARejectedCallIsNotDue() {
        for (RejectReason reason : RejectReason.values()) {
            CallScenario s = p2p();
            s.apply(reject(s.callee(), reason), at(2));
            assertThat(s.decide(timeout(s.callee()), at(15))).as(reason.wireName()).isEqualTo(new Verdict.NotDue());
        }
    }

    @Test
    void aTimeoutOfARedirectedOrCancelledCallIsNotDue() {
        CallScenario redirected = p2p();
        Call original = redirected.callee();
        redirected.apply(redirect(original, offer(SECOND_APP)), at(2));
        assertThat(redirected.decide(timeout(original), at(15))).isEqualTo(new Verdict.NotDue());

        CallScenario cancelled = p2p();
        cancelled.apply(hangup(cancelled.caller()), at(2));
        assertThat(cancelled.decide(timeout(cancelled.callee()), at(15))).isEqualTo(new Verdict.NotDue());
    }

    @Test
    void aTimeoutOfTheCallersOutgoingLegIsNotDue() {
        CallScenario s = p2p();
        assertThat(s.decide(timeout(s.caller()), at(100))).isEqualTo(new Verdict.NotDue());
    }

    @Test
    void aTimeoutOfAnUnknownIdIsNotDue() {
        CallScenario s = p2p();
        assertThat(s.decide(new Command.Timeout("no-such-call"), at(100))).isEqualTo(new Verdict.NotDue());
    }

    @Test
    void aTimeoutOfOneGroupOfferLeavesTheCallerWaitingForTheOther() {
        CallScenario s = group();
        Verdict.Applied applied = s.apply(timeout(s.callees().get(0)), at(15));
        assertThat(applied.changed()).containsExactly(s.callees().get(0));
        assertThat(s.caller().state()).isEqualTo(CallState.ESTABLISHING);
    }

    // --- redirect ---

    @Test
    void redirectEndsTheCalleeLegAsRedirectedWith302AndADeletedNotice() {
        CallScenario s = p2p();
        Call original = s.callee();
        Verdict.Applied applied = s.apply(redirect(original, offer(SECOND_APP)), at(4));
        Call ended = s.leg(original.id());
        assertThat(ended.state()).isEqualTo(CallState.TERMINATED);
        assertThat(ended.ending()).contains(new Ending.Redirected());
        assertThat(ended.resultInfo().orElseThrow().code()).isEqualTo(302);
        assertThat(ended.version()).isEqualTo(1);
        assertThat(applied.notices().get(0)).isEqualTo(new Notice(ChangeType.DELETED, ended));
        assertThat(applied.changed()).containsExactly(ended);
    }

    @Test
    void redirectOffersANewIncomingLegPerTargetWithFreshDeadlinesAndCreatedNotices() {
        CallScenario s = p2p();
        Call original = s.callee();
        Verdict.Applied applied = s.apply(redirect(original, offer(SECOND_APP), offer(THIRD_APP)), at(4));
        assertThat(applied.created()).hasSize(2);
        assertThat(applied.created()).extracting(Call::ownerAppId).containsExactly(SECOND_APP, THIRD_APP);
        assertThat(applied.created()).allSatisfy(c -> {
            assertThat(c.direction()).isEqualTo(Direction.INCOMING);
            assertThat(c.state()).isEqualTo(CallState.INCOMING);
            assertThat(c.version()).isZero();
            assertThat(c.answerDeadline()).contains(at(4).plus(TIMEOUT));
            assertThat(c.callChainId()).isEqualTo(original.callChainId());
            assertThat(c.source()).isEqualTo(original.source());
            assertThat(c.targets()).containsExactly(party(SECOND_APP), party(THIRD_APP));
            assertThat(c.id()).isNotEqualTo(original.id());
        });
        assertThat(applied.created().get(0).callbackUri()).isEqualTo("https://app-second.example/cb");
        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.DELETED, original, CallState.TERMINATED),
                line(ChangeType.CREATED, applied.created().get(0), CallState.INCOMING),
                line(ChangeType.CREATED, applied.created().get(1), CallState.INCOMING));
    }

    @Test
    void redirectLeavesTheCallerLegUnchangedAndEstablishing() {
        CallScenario s = p2p();
        Call caller = s.caller();
        s.apply(redirect(s.callee(), offer(SECOND_APP)), at(4));
        assertThat(s.caller()).isEqualTo(caller);
        assertThat(s.caller().state()).isEqualTo(CallState.ESTABLISHING);
    }

    @Test
    void aRedirectedGroupInvitationKeepsItsInvitationOnTheNewOffers() {
        CallScenario s = group();
        Verdict.Applied applied = s.apply(redirect(s.callees().get(0), offer(THIRD_APP)), at(4));
        assertThat(applied.created()).singleElement()
                .satisfies(c -> assertThat(c.invitation()).contains(INVITATION));
    }

    @Test
    void theNewOfferOfARedirectCanBeAnsweredAndThenEstablishesTheCaller() {
        CallScenario s = p2p();
        Call next = s.apply(redirect(s.callee(), offer(SECOND_APP)), at(4)).created().get(0);
        s.apply(answer(next), at(6));
        assertThat(s.caller().state()).isEqualTo(CallState.ESTABLISHED);
    }

    @Test
    void theNewOfferOfARedirectTimesOutOnItsOwnDeadlineAndThenEndsTheCaller() {
        CallScenario s = p2p();
        Call next = s.apply(redirect(s.callee(), offer(SECOND_APP)), at(4)).created().get(0);
        assertThat(s.decide(timeout(next), at(15))).isEqualTo(new Verdict.NotDue());
        Verdict.Applied applied = s.apply(timeout(next), at(19));
        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.DELETED, next, CallState.TERMINATED),
                line(ChangeType.DELETED, s.caller(), CallState.TERMINATED));
        assertThat(s.caller().ending()).contains(new Ending.TimedOut());
    }

    @Test
    void rejectOfTheNewOfferOfARedirectEndsTheCallerAsPeerRejected() {
        CallScenario s = p2p();
        Call next = s.apply(redirect(s.callee(), offer(SECOND_APP)), at(4)).created().get(0);
        s.apply(reject(next, RejectReason.BUSY), at(5));
        assertThat(s.caller().ending()).contains(new Ending.PeerRejected(RejectReason.BUSY));
    }

    @Test
    void redirectWithACallbackUriReplacesTheRedirectedLegsCallback() {
        CallScenario s = p2p();
        Call original = s.callee();
        Verdict.Applied applied = s.apply(new Command.Redirect(original.id(), TENANT, CALLEE_APP,
                List.of(offer(SECOND_APP)), Optional.of("https://elsewhere.example/cb")), at(4));
        assertThat(noticed(applied, original.id(), ChangeType.DELETED).callbackUri())
                .isEqualTo("https://elsewhere.example/cb");
        assertThat(applied.created().get(0).callbackUri()).isEqualTo("https://app-second.example/cb");
    }

    @Test
    void aRetriedRedirectIsAlreadyApplied() {
        CallScenario s = p2p();
        Call original = s.callee();
        s.apply(redirect(original, offer(SECOND_APP)), at(4));
        assertThat(s.decide(redirect(original, offer(SECOND_APP)), at(5))).isEqualTo(new Verdict.AlreadyApplied());
    }

    @Test
    void redirectOfAnAnsweredCallIsNotAllowed() {
        CallScenario s = p2p();
        s.apply(answer(s.callee()), at(2));
        assertThat(notAllowedMessage(s.decide(redirect(s.callee(), offer(SECOND_APP)), at(3)))).contains("established");
    }

    @Test
    void redirectOfAnEstablishingOrTerminatingIncomingLegIsNotAllowed() {
        for (CallState state : List.of(CallState.ESTABLISHING, CallState.TERMINATING)) {
            CallScenario s = p2p();
            s.store(s.callee().moveTo(state, at(1)));
            assertThat(s.decide(redirect(s.callee(), offer(SECOND_APP)), at(2))).as(state.wireName())
                    .isInstanceOf(Verdict.NotAllowed.class);
        }
    }

    @Test
    void redirectWithoutTargetsIsNotAllowed() {
        CallScenario s = p2p();
        assertThat(s.decide(redirect(s.callee()), at(2))).isInstanceOf(Verdict.NotAllowed.class);
        assertThat(s.callee().state()).isEqualTo(CallState.INCOMING);
    }

    @Test
    void redirectOfAnOutgoingLegIsNotAllowed() {
        CallScenario s = p2p();
        assertThat(s.decide(redirect(s.caller(), offer(SECOND_APP)), at(2))).isInstanceOf(Verdict.NotAllowed.class);
    }

    @Test
    void redirectOfACallThatEndedOtherwiseIsNotFound() {
        CallScenario rejected = p2p();
        rejected.apply(reject(rejected.callee(), RejectReason.NONE), at(2));
        assertThat(rejected.decide(redirect(rejected.callee(), offer(SECOND_APP)), at(3))).isEqualTo(new Verdict.NotFound());

        CallScenario timedOut = p2p();
        timedOut.apply(timeout(timedOut.callee()), at(15));
        assertThat(timedOut.decide(redirect(timedOut.callee(), offer(SECOND_APP)), at(16)))
                .isEqualTo(new Verdict.NotFound());

        CallScenario cancelled = p2p();
        cancelled.apply(hangup(cancelled.caller()), at(2));
        assertThat(cancelled.decide(redirect(cancelled.callee(), offer(SECOND_APP)), at(3)))
                .isEqualTo(new Verdict.NotFound());
    }

    @Test
    void redirectByAnotherAppOrTenantIsNotFound() {
        CallScenario s = p2p();
        Call ringing = s.callee();
        assertThat(s.decide(new Command.Redirect(ringing.id(), TENANT, STRANGER_APP, List.of(offer(SECOND_APP)),
                Optional.empty()), at(2))).isEqualTo(new Verdict.NotFound());
        assertThat(s.decide(new Command.Redirect(ringing.id(), OTHER_TENANT, CALLEE_APP, List.of(offer(SECOND_APP)),
                Optional.empty()), at(2))).isEqualTo(new Verdict.NotFound());
        assertThat(s.decide(new Command.Redirect("no-such-call", TENANT, CALLEE_APP, List.of(offer(SECOND_APP)),
                Optional.empty()), at(2))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void callerIsEndedWhenTheLastRingingRedirectTargetTimesOutAfterTheAnsweredOneHungUp() {
        CallScenario s = p2p();
        Verdict.Applied redirected = s.apply(redirect(s.callee(), offer(SECOND_APP), offer(THIRD_APP)), at(2));
        Call second = redirected.created().get(0);
        Call third = redirected.created().get(1);
        s.apply(answer(second), at(3));
        s.apply(hangup(second), at(5));
        Verdict.Applied timedOut = s.apply(timeout(third), at(17));
        assertThat(s.caller().state()).isEqualTo(CallState.TERMINATED);
        assertThat(s.caller().resultInfo()).contains(ResultInfo.REMOTE_ENDED);
        assertThat(timedOut.notices()).extracting(n -> n.call().ownerAppId()).contains(CALLER_APP);
    }

    @Test
    void actionsAfterTheDeadlineFindNoCallEvenBeforeTheTimeoutIsWritten() {
        CallScenario s = p2p();
        Call callee = s.callee();
        assertThat(s.decide(new Command.Reject(callee.id(), TENANT, CALLEE_APP, RejectReason.BUSY, Optional.empty()),
                at(15))).isEqualTo(new Verdict.NotFound());
        assertThat(s.decide(answer(callee), at(16))).isEqualTo(new Verdict.NotFound());
        assertThat(s.decide(timeout(callee), at(15))).isInstanceOf(Verdict.Applied.class);
    }

    @Test
    void theCallersHangupAfterEveryOffersDeadlineFindsNoCallAndTheTimeoutStillWins() {
        CallScenario s = p2p();
        assertThat(s.decide(hangup(s.caller()), at(15))).isEqualTo(new Verdict.NotFound());
        s.apply(timeout(s.callee()), at(15));
        assertThat(s.callee().resultInfo()).contains(ResultInfo.TIMED_OUT);
        assertThat(s.caller().resultInfo()).contains(ResultInfo.TIMED_OUT);
    }
}
