package dev.switchboard.core.calls;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.switchboard.core.calls.CallScenario.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Any sequence of commands, by any app at any time, applied to a placed peer-to-peer call with each
 * applied result fed back in: legs end once and stay ended, and the caller is never left ringing nobody.
 */
class CallMachinePropertyTest {

    enum Kind { REJECT, ANSWER, REDIRECT, HANGUP, TIMEOUT }

    /**
     * One command: which leg (modulo the legs there are), who sends it (mostly the owner), how many
     * seconds after the previous one, and the reject reason or the number of redirect targets.
     */
    record Step(Kind kind, int legPick, int senderPick, RejectReason reason, int secondsLater, int targets) {}

    @Provide
    Arbitrary<List<Step>> commands() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 11),
                Arbitraries.integers().between(0, 9),
                Arbitraries.of(RejectReason.class),
                Arbitraries.integers().between(0, 9),
                Arbitraries.integers().between(1, 2)).as(Step::new);
        return step.list().ofMaxSize(30);
    }

    @Property(tries = 2000)
    void legsEndAtMostOnceWithOneEndingAndTheCallerNeverRingsNobody(@ForAll("commands") List<Step> steps) {
        CallScenario s = p2p();
        Instant now = T0;
        Map<String, Call> ended = new HashMap<>();
        Map<String, Integer> deletedNotices = new HashMap<>();
        for (Step step : steps) {
            now = now.plusSeconds(step.secondsLater());
            List<Call> legs = s.conversation().legs();
            Call target = legs.get(step.legPick() % legs.size());
            Command command = command(step, target);
            Conversation before = s.conversation();
            Verdict verdict = s.run(command, now);
            String context = step + " on " + target.id() + " (" + target.state() + ") -> " + verdict;

            if (verdict instanceof Verdict.Applied applied) {
                for (Call changed : applied.changed()) {
                    Call was = before.leg(changed.id()).orElseThrow();
                    assertThat(was.state()).as("a terminated leg changed again: " + context)
                            .isNotEqualTo(CallState.TERMINATED);
                    assertThat(changed.version()).as(context).isEqualTo(was.version() + 1);
                }
                for (Call created : applied.created()) {
                    assertThat(before.leg(created.id())).as(context).isEmpty();
                }
                for (Notice notice : applied.notices()) {
                    String id = notice.call().id();
                    assertThat(ended).as("a notice after the leg ended: " + context).doesNotContainKey(id);
                    if (notice.changeType() == ChangeType.DELETED) {
                        deletedNotices.merge(id, 1, Integer::sum);
                        assertThat(notice.call().state()).as(context).isEqualTo(CallState.TERMINATED);
                    } else {
                        assertThat(notice.call().state()).as(context).isNotEqualTo(CallState.TERMINATED);
                    }
                }
            } else {
                assertThat(s.conversation()).as("only an applied verdict changes anything").isEqualTo(before);
            }

            for (Call leg : s.conversation().legs()) {
                Call endedBefore = ended.get(leg.id());
                if (endedBefore != null) {
                    assertThat(leg).as("an ended leg never changes: " + context).isEqualTo(endedBefore);
                }
                if (leg.state() == CallState.TERMINATED) {
                    assertThat(leg.ending()).as(context).isPresent();
                    assertThat(leg.answerDeadline()).as(context).isEmpty();
                    assertThat(deletedNotices.get(leg.id())).as("one deleted notice per ended leg: " + context)
                            .isEqualTo(1);
                    ended.put(leg.id(), leg);
                } else {
                    assertThat(leg.ending()).as(context).isEmpty();
                    assertThat(deletedNotices).as(context).doesNotContainKey(leg.id());
                }
            }

            boolean calleeActive = s.callees().stream().anyMatch(c -> c.state().isActive());
            if (!calleeActive) {
                assertThat(s.caller().state()).as("caller left establishing with no callee: " + context)
                        .isNotEqualTo(CallState.ESTABLISHING);
            }
        }
    }

    private static Command command(Step step, Call leg) {
        String tenant = leg.tenantId();
        String app = leg.ownerAppId();
        switch (step.senderPick()) {
            case 6: app = CALLER_APP; break;
            case 7: app = CALLEE_APP; break;
            case 8: app = STRANGER_APP; break;
            case 9: tenant = OTHER_TENANT; break;
            default: break; // 0-5: the owner
        }
        switch (step.kind()) {
            case REJECT:
                return new Command.Reject(leg.id(), tenant, app, step.reason(), Optional.empty());
            case ANSWER:
                return new Command.Answer(leg.id(), tenant, app, Optional.empty(), List.of(Modality.AUDIO));
            case REDIRECT:
                List<Offer> targets = List.of(offer(SECOND_APP), offer(THIRD_APP)).subList(0, step.targets());
                return new Command.Redirect(leg.id(), tenant, app, targets, Optional.empty());
            case HANGUP:
                return new Command.Hangup(leg.id(), tenant, app);
            case TIMEOUT:
            default:
                return new Command.Timeout(leg.id());
        }
    }
}
