package dev.switchboard.core.calls;

import org.junit.jupiter.api.Test;

import static dev.switchboard.core.calls.CallScenario.*;
import static org.assertj.core.api.Assertions.assertThat;

/** A redirect to phone numbers or SIP addresses, and a callee the network could not reach. */
class ForwardAndUnreachableTest {

    private static final ResultInfo UNAVAILABLE = new ResultInfo(480, 0, "Temporarily Unavailable");

    @Test
    void forwardOfACallFromTheNetworkEndsBothLegsAsRedirectedAndShowsTheCallerItsNewTargets() {
        CallScenario s = fromNetwork();
        Call offered = s.callee();

        Verdict.Applied applied = s.apply(forward(offered, phone("+4940555"), phone("+4940666")), at(3));

        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.DELETED, offered, CallState.TERMINATED),
                line(ChangeType.DELETED, s.caller(), CallState.TERMINATED));
        assertThat(s.leg(offered.id()).resultInfo()).contains(ResultInfo.REDIRECTED);
        assertThat(s.caller().resultInfo()).contains(ResultInfo.REDIRECTED);
        assertThat(s.caller().targets()).containsExactly(phone("+4940555"), phone("+4940666"));
        assertThat(applied.created()).isEmpty();
    }

    @Test
    void forwardOfACallAnAppPlacedIsNotAllowedAndChangesNothing() {
        CallScenario s = p2p();
        assertThat(notAllowedMessage(s.decide(forward(s.callee(), phone("+4940555")), at(3)))).contains("SIP");
        assertThat(s.callee().state()).isEqualTo(CallState.INCOMING);
    }

    @Test
    void forwardOfACallAnAppPlacedOffersTheOneTargetThroughTheTrunkAndTheCallerWaitsForIt() {
        CallScenario s = p2p();
        Call offered = s.callee();
        Offer trunk = new Offer(TENANT, NETWORK_APP, phone("+4940555"), "switchboard-sip://node-1");

        Verdict.Applied applied = s.apply(throughTrunk(offered, trunk, phone("+4940555")), at(3));

        Call next = applied.created().get(0);
        assertThat(next.ownerAppId()).isEqualTo(NETWORK_APP);
        assertThat(next.targets()).containsExactly(phone("+4940555"));
        assertThat(next.source()).isEqualTo(s.caller().source());
        assertThat(next.state()).isEqualTo(CallState.INCOMING);
        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.DELETED, offered, CallState.TERMINATED),
                line(ChangeType.CREATED, next, CallState.INCOMING));
        assertThat(s.leg(offered.id()).resultInfo()).contains(ResultInfo.REDIRECTED);
        assertThat(s.caller().state()).isEqualTo(CallState.ESTABLISHING);

        s.apply(answer(s.leg(next.id())), at(5));
        assertThat(s.caller().state()).isEqualTo(CallState.ESTABLISHED);
        assertThat(s.decide(throughTrunk(offered, trunk, phone("+4940555")), at(6))).isEqualTo(new Verdict.AlreadyApplied());
    }

    @Test
    void aTrunkOfferForMoreThanOneTargetIsNotFollowed() {
        CallScenario s = p2p();
        Offer trunk = new Offer(TENANT, NETWORK_APP, phone("+4940555"), "switchboard-sip://node-1");

        Verdict verdict = s.decide(throughTrunk(s.callee(), trunk, phone("+4940555"), phone("+4940666")), at(3));

        assertThat(notAllowedMessage(verdict)).contains("one target at a time");
        assertThat(s.callee().state()).isEqualTo(CallState.INCOMING);
    }

    @Test
    void aCallerFromTheNetworkIsSentOnItselfEvenWhenATrunkCouldCarryTheCall() {
        CallScenario s = fromNetwork();
        Offer trunk = new Offer(TENANT, NETWORK_APP, phone("+4940555"), "switchboard-sip://node-1");

        Verdict.Applied applied = s.apply(throughTrunk(s.callee(), trunk, phone("+4940555")), at(3));

        assertThat(applied.created()).isEmpty();
        assertThat(s.caller().resultInfo()).contains(ResultInfo.REDIRECTED);
    }

    private static Command.Forward throughTrunk(Call leg, Offer trunk, Party... targets) {
        return new Command.Forward(leg.id(), leg.tenantId(), leg.ownerAppId(), java.util.List.of(targets),
                java.util.Optional.empty(), java.util.Optional.of(trunk));
    }

    @Test
    void aRetriedForwardIsAlreadyAppliedAndOneAfterTheDeadlineFindsNoCall() {
        CallScenario s = fromNetwork();
        Call offered = s.callee();
        s.apply(forward(offered, phone("+4940555")), at(3));
        assertThat(s.decide(forward(offered, phone("+4940555")), at(4))).isEqualTo(new Verdict.AlreadyApplied());

        CallScenario late = fromNetwork();
        assertThat(late.decide(forward(late.callee(), phone("+4940555")), at(15))).isEqualTo(new Verdict.NotFound());
    }

    @Test
    void forwardByAnotherAppOrWithoutTargetsOrOfAnAnsweredCallChangesNothing() {
        CallScenario s = fromNetwork();
        Call offered = s.callee();
        assertThat(s.decide(new Command.Forward(offered.id(), TENANT, STRANGER_APP, java.util.List.of(phone("+49")),
                java.util.Optional.empty()), at(1))).isEqualTo(new Verdict.NotFound());
        assertThat(notAllowedMessage(s.decide(forward(offered), at(1)))).contains("at least one target");
        s.apply(answer(offered), at(2));
        assertThat(notAllowedMessage(s.decide(forward(s.callee(), phone("+4940555")), at(3)))).contains("established");
    }

    @Test
    void unreachableEndsTheOfferAndTheCallerWithTheNetworksResult() {
        CallScenario s = p2p();
        Call offered = s.callee();

        Verdict.Applied applied = s.apply(unreachable(offered, UNAVAILABLE), at(5));

        assertThat(summary(applied.notices())).containsExactly(
                line(ChangeType.DELETED, offered, CallState.TERMINATED),
                line(ChangeType.DELETED, s.caller(), CallState.TERMINATED));
        assertThat(s.caller().resultInfo()).contains(UNAVAILABLE);
        assertThat(s.decide(unreachable(offered, UNAVAILABLE), at(6))).isEqualTo(new Verdict.AlreadyApplied());
        assertThat(s.decide(unreachable(offered, new ResultInfo(404, 0, "Not Found")), at(6)))
                .isEqualTo(new Verdict.NotFound());
    }

    @Test
    void anAnsweredCallIsNotUnreachable() {
        CallScenario s = p2p();
        s.apply(answer(s.callee()), at(2));
        assertThat(notAllowedMessage(s.decide(unreachable(s.callee(), UNAVAILABLE), at(3)))).contains("established");
    }
}
