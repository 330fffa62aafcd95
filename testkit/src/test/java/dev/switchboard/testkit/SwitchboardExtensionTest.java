package dev.switchboard.testkit;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.ResultInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class SwitchboardExtensionTest {

    @RegisterExtension
    final SwitchboardExtension sb = SwitchboardExtension.create(setup -> setup.bot("silent"));

    @Test
    void aCallNobodyDecidesRingsOutWhenTheClockPassesFifteenSeconds() {
        PlacedCall call = sb.placeCall("silent");
        call.awaitCalleeLeg(CallState.INCOMING);

        sb.advance(Duration.ofSeconds(14));
        assertThat(call.state()).isEqualTo("establishing");
        sb.advance(Duration.ofSeconds(1));

        assertThat(call.awaitEnded()).isEqualTo(ResultInfo.TIMED_OUT);
        assertThat(call.calleeLeg().orElseThrow().resultInfo()).contains(ResultInfo.TIMED_OUT);
        assertThat(call.timeline()).isNotEmpty();
        assertThat(call.calleeTimeline()).isNotEmpty();
    }

    @Test
    void aGroupInvitationCarriesItsChatAndOrganizerToTheBotsLeg() {
        PlacedCall call = sb.inviteToGroupCall("silent", "19:meeting_abc@thread.v2", "organizer-1");

        Call offered = call.awaitCalleeLeg(CallState.INCOMING);

        assertThat(offered.invitation()).isPresent();
        assertThat(sb.fetch(sb.app("silent"), offered.id())).contains("19:meeting_abc@thread.v2", "organizerMeetingInfo", "organizer-1");
    }

    @Test
    void theCallerReadsItsCallThroughTheApiAndEachDeclaredBotHasItsOwnCallbackPort() {
        PlacedCall call = sb.placeCall("silent");

        assertThat(sb.fetch(sb.caller(), call.id())).contains("\"state\":\"establishing\"");
        assertThat(sb.app("silent").callbackUri()).startsWith("http://127.0.0.1:").endsWith("/api/calling");
        assertThat(sb.app("silent").port()).isPositive();
        assertThat(sb.accessToken(sb.app("silent"))).isNotBlank();
        assertThat(sb.instantSource().instant()).isEqualTo(sb.now());
    }
}
