package dev.switchboard.json;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.Ending;
import dev.switchboard.core.calls.RejectReason;
import dev.switchboard.core.store.RecentCallCodec;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class RecentCallCodecTest {

    @Test
    void aLegJustWrittenIsReadBackWithoutParsing() {
        RecentCallCodec codec = new RecentCallCodec(new GraphCallCodec(), 4);
        Call ringing = TestCalls.groupInvitation(CallState.INCOMING, Optional.empty());
        String text = codec.encode(ringing);
        // a store hands back a new String with the same characters, never the instance it was given
        assertThat(codec.decode(new String(text.toCharArray()))).isSameAs(ringing);
    }

    @Test
    void aTextNeverSeenIsParsedAndThenRemembered() {
        GraphCallCodec plain = new GraphCallCodec();
        RecentCallCodec codec = new RecentCallCodec(plain, 4);
        Call rejected = TestCalls.groupInvitation(CallState.TERMINATED, Optional.of(new Ending.Rejected(RejectReason.BUSY)));
        String stored = plain.encode(rejected);
        Call first = codec.decode(stored);
        assertThat(first).isEqualTo(rejected).isNotSameAs(rejected);
        assertThat(codec.decode(new String(stored.toCharArray()))).isSameAs(first);
    }

    @Test
    void anyChangeToTheTextIsANewLeg() {
        RecentCallCodec codec = new RecentCallCodec(new GraphCallCodec(), 4);
        Call ringing = TestCalls.groupInvitation(CallState.INCOMING, Optional.empty());
        Call rejected = TestCalls.groupInvitation(CallState.TERMINATED, Optional.of(new Ending.Rejected(RejectReason.BUSY)));
        codec.encode(ringing);
        // what another node wrote since: only its own text gives it back
        String newer = new GraphCallCodec().encode(rejected);
        assertThat(codec.decode(newer)).isEqualTo(rejected);
    }

    @Test
    void theOldestTextsAreForgottenFirst() {
        RecentCallCodec codec = new RecentCallCodec(new GraphCallCodec(), 2);
        Call ringing = TestCalls.groupInvitation(CallState.INCOMING, Optional.empty());
        Call rejected = TestCalls.groupInvitation(CallState.TERMINATED, Optional.of(new Ending.Rejected(RejectReason.BUSY)));
        Call established = TestCalls.groupInvitation(CallState.ESTABLISHED, Optional.empty());
        String first = codec.encode(ringing);
        String second = codec.encode(rejected);
        codec.decode(first); // used again: now the second is the eldest
        codec.encode(established);
        assertThat(codec.decode(first)).isSameAs(ringing);
        assertThat(codec.decode(second)).isEqualTo(rejected).isNotSameAs(rejected);
    }
}
