package dev.switchboard.json;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.ChatInfo;
import dev.switchboard.core.calls.Direction;
import dev.switchboard.core.calls.Ending;
import dev.switchboard.core.calls.GroupInvitation;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.MeetingInfo;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Party;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A bot's leg of a group-call invitation, in any state: every field the codec maps is filled in. */
final class TestCalls {

    static final Instant T0 = Instant.parse("2026-11-26T17:00:00Z");

    private TestCalls() {
    }

    static Call groupInvitation(CallState state, Optional<Ending> ending) {
        Party caller = new Party(IdentitySet.of(Identity.application("app-a", "Caller", "t1")), Optional.of("p-1"));
        Party bot = Party.of(IdentitySet.of(new Identity(IdentityKind.APPLICATION_INSTANCE, "app-b",
                Optional.empty(), Optional.of("t1"))));
        GroupInvitation inv = new GroupInvitation(
                new ChatInfo("19:meeting@thread.v2", Optional.of("0"), Optional.empty()),
                new MeetingInfo.Organizer(IdentitySet.of(new Identity(IdentityKind.USER, "u-1",
                        Optional.of("Org"), Optional.of("t1")))));
        return new Call("c-1", "t1", "app-b", Direction.INCOMING, state, 3, "https://bot.example/cb", caller,
                List.of(bot), List.of(Modality.AUDIO), Optional.of(inv), "chain-1", "p-2",
                state == CallState.INCOMING ? Optional.of(T0.plusSeconds(15)) : Optional.empty(), ending, T0,
                T0.plusSeconds(1));
    }
}
