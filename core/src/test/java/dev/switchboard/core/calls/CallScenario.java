package dev.switchboard.core.calls;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A conversation under test: placed by a {@link CallMachine} with counter ids ({@code id-1},
 * {@code id-2}, ...) at fixed instants, and kept up to date by feeding every {@link Verdict.Applied}
 * back in, as {@code CallActions} does with the store.
 */
final class CallScenario {

    static final Instant T0 = Instant.parse("2026-11-26T17:00:00Z");
    static final Duration TIMEOUT = Duration.ofSeconds(15);

    static final String TENANT = "tenant-1";
    static final String OTHER_TENANT = "tenant-2";
    static final String CALLER_APP = "app-caller";
    static final String CALLEE_APP = "app-callee";
    static final String SECOND_APP = "app-second";
    static final String THIRD_APP = "app-third";
    static final String STRANGER_APP = "app-stranger";
    /** Places calls for callers outside Switchboard, who can be sent on to a phone number (a SIP bridge). */
    static final String NETWORK_APP = "app-network";
    static final String CALLER_CALLBACK = "https://caller.example/cb";

    static final GroupInvitation INVITATION = new GroupInvitation(
            new ChatInfo("19:meeting@thread.v2", Optional.of("0"), Optional.empty()),
            new MeetingInfo.JoinMeetingId("123 456 789", Optional.of("pass")));

    private final AtomicInteger next = new AtomicInteger();
    final CallMachine machine = new CallMachine(TIMEOUT, () -> "id-" + next.incrementAndGet(),
            java.util.Set.of(NETWORK_APP));
    private final List<Call> legs = new ArrayList<>();
    Verdict.Applied placed;

    /** A peer-to-peer call from {@link #CALLER_APP} to {@link #CALLEE_APP}, placed at {@link #T0}. */
    static CallScenario p2p() {
        CallScenario s = new CallScenario();
        s.place(request(List.of(offer(CALLEE_APP)), Optional.empty()), T0);
        return s;
    }

    /** A group-call invitation offered to {@link #CALLEE_APP} and {@link #SECOND_APP}, placed at {@link #T0}. */
    static CallScenario group() {
        CallScenario s = new CallScenario();
        s.place(request(List.of(offer(CALLEE_APP), offer(SECOND_APP)), Optional.of(INVITATION)), T0);
        return s;
    }

    /** A call from outside, placed by {@link #NETWORK_APP} and offered to {@link #CALLEE_APP}, at {@link #T0}. */
    static CallScenario fromNetwork() {
        CallScenario s = new CallScenario();
        List<Offer> offers = List.of(offer(CALLEE_APP));
        s.place(new PlaceCall(TENANT, NETWORK_APP, "switchboard-sip://node-1", phone("+4930123"),
                offers.stream().map(Offer::party).toList(), offers, List.of(Modality.AUDIO), Optional.empty(),
                Optional.empty()), T0);
        return s;
    }

    static Party phone(String number) {
        return Party.of(IdentitySet.of(new Identity(IdentityKind.PHONE, number, Optional.empty(), Optional.empty())));
    }

    static PlaceCall request(List<Offer> offers, Optional<GroupInvitation> invitation) {
        return new PlaceCall(TENANT, CALLER_APP, CALLER_CALLBACK, party(CALLER_APP),
                offers.stream().map(Offer::party).toList(), offers, List.of(Modality.AUDIO), invitation,
                Optional.empty());
    }

    static Party party(String app) {
        return Party.of(IdentitySet.of(Identity.application(app, app, TENANT)));
    }

    static Offer offer(String app) {
        return new Offer(TENANT, app, party(app), "https://" + app + ".example/cb");
    }

    Verdict.Applied place(PlaceCall request, Instant now) {
        placed = machine.place(request, now);
        legs.addAll(placed.created());
        return placed;
    }

    // --- the conversation as stored ---

    Conversation conversation() {
        return new Conversation(legs);
    }

    Call caller() {
        return conversation().callerLeg().orElseThrow();
    }

    /** The first leg offered to a callee. */
    Call callee() {
        return callees().get(0);
    }

    List<Call> callees() {
        return legs.stream().filter(c -> c.direction() == Direction.INCOMING).toList();
    }

    Call leg(String id) {
        return conversation().leg(id).orElseThrow();
    }

    /** Replaces a stored leg, to reach states the machine never stores (an incoming leg establishing). */
    void store(Call leg) {
        legs.replaceAll(c -> c.id().equals(leg.id()) ? leg : c);
    }

    // --- running commands ---

    /** What the machine decides, without storing anything. */
    Verdict decide(Command command, Instant now) {
        return machine.decide(command, conversation(), now);
    }

    /** Decides and, when applied, stores the result. */
    Verdict run(Command command, Instant now) {
        Verdict verdict = decide(command, now);
        if (verdict instanceof Verdict.Applied applied) {
            for (Call changed : applied.changed()) store(changed);
            legs.addAll(applied.created());
        }
        return verdict;
    }

    /** Runs a command that must apply. */
    Verdict.Applied apply(Command command, Instant now) {
        return applied(run(command, now));
    }

    static Verdict.Applied applied(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.Applied.class);
        return (Verdict.Applied) verdict;
    }

    static String notAllowedMessage(Verdict verdict) {
        assertThat(verdict).isInstanceOf(Verdict.NotAllowed.class);
        return ((Verdict.NotAllowed) verdict).message();
    }

    /** Notices as {@code "deleted id-4 terminated"}, to assert whole sequences at a glance. */
    static List<String> summary(List<Notice> notices) {
        return notices.stream()
                .map(n -> n.changeType().wireName() + " " + n.call().id() + " " + n.call().state().wireName())
                .toList();
    }

    static String line(ChangeType type, Call leg, CallState state) {
        return type.wireName() + " " + leg.id() + " " + state.wireName();
    }

    static Call noticed(Verdict.Applied applied, String legId, ChangeType type) {
        return applied.notices().stream()
                .filter(n -> n.call().id().equals(legId) && n.changeType() == type)
                .reduce((a, b) -> b).orElseThrow().call();
    }

    // --- commands, by the leg's owner unless said otherwise ---

    static Command.Reject reject(Call leg, RejectReason reason) {
        return new Command.Reject(leg.id(), leg.tenantId(), leg.ownerAppId(), reason, Optional.empty());
    }

    static Command.Answer answer(Call leg) {
        return new Command.Answer(leg.id(), leg.tenantId(), leg.ownerAppId(), Optional.empty(), List.of(Modality.AUDIO));
    }

    static Command.Redirect redirect(Call leg, Offer... targets) {
        return new Command.Redirect(leg.id(), leg.tenantId(), leg.ownerAppId(), List.of(targets), Optional.empty());
    }

    static Command.Forward forward(Call leg, Party... targets) {
        return new Command.Forward(leg.id(), leg.tenantId(), leg.ownerAppId(), List.of(targets), Optional.empty());
    }

    static Command.Unreachable unreachable(Call leg, ResultInfo result) {
        return new Command.Unreachable(leg.id(), leg.tenantId(), leg.ownerAppId(), result);
    }

    static Command.Hangup hangup(Call leg) {
        return new Command.Hangup(leg.id(), leg.tenantId(), leg.ownerAppId());
    }

    static Command.Timeout timeout(Call leg) {
        return new Command.Timeout(leg.id());
    }

    static Instant at(long secondsAfterT0) {
        return T0.plusSeconds(secondsAfterT0);
    }
}
