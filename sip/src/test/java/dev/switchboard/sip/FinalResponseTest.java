package dev.switchboard.sip;

import dev.switchboard.core.calls.RejectReason;
import dev.switchboard.core.calls.ResultInfo;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

/** The "Reason → SIP" table of the calls contract, row by row. */
class FinalResponseTest {

    private static FinalResponse of(ResultInfo r) {
        return FinalResponse.forUnanswered(r.code(), r.subcode());
    }

    @Test
    void everyRowOfTheTable() {
        assertThat(of(RejectReason.BUSY.result())).extracting(FinalResponse::status, FinalResponse::q850Cause)
                .containsExactly(486, OptionalInt.of(17));
        assertThat(of(RejectReason.NONE.result())).extracting(FinalResponse::status, FinalResponse::q850Cause)
                .containsExactly(603, OptionalInt.of(21));
        assertThat(of(RejectReason.FORBIDDEN.result())).extracting(FinalResponse::status, FinalResponse::q850Cause)
                .containsExactly(403, OptionalInt.of(21));
        assertThat(of(ResultInfo.TIMED_OUT)).extracting(FinalResponse::status, FinalResponse::q850Cause)
                .containsExactly(480, OptionalInt.of(19));
        assertThat(of(ResultInfo.CALLER_CANCELLED).status()).isEqualTo(487);
    }

    @Test
    void bridgesOwnHangupReadsAsCancelAndAnythingElseAsUnavailable() {
        assertThat(of(ResultInfo.ENDED_BY_APP)).isEqualTo(FinalResponse.CANCELLED);
        assertThat(of(ResultInfo.REMOTE_ENDED)).isEqualTo(FinalResponse.UNAVAILABLE);
        assertThat(FinalResponse.forUnanswered(500, 0).status()).isEqualTo(480);
    }

    @Test
    void routeOverridesChangeTheStatusButKeepTheReason() {
        var overrides = java.util.Map.of("none", 486, "forbidden", 607, "timeout", 408);

        FinalResponse none = FinalResponse.forUnanswered(603, 0, overrides);
        assertThat(none).extracting(FinalResponse::status, FinalResponse::phrase, FinalResponse::q850Cause)
                .containsExactly(486, "Busy Here", OptionalInt.of(21));
        assertThat(FinalResponse.forUnanswered(403, 0, overrides).phrase()).isEqualTo("Unwanted");
        assertThat(FinalResponse.forUnanswered(408, 8544, overrides).q850Cause()).isEqualTo(OptionalInt.of(19));
        assertThat(FinalResponse.forUnanswered(486, 0, overrides)).isEqualTo(FinalResponse.BUSY);
        assertThat(FinalResponse.forUnanswered(487, 0, overrides)).isEqualTo(FinalResponse.CANCELLED);
    }

    @Test
    void routeRefusesOverridesThatAreNotFailureResponsesOfKnownOutcomes() {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> new SipRoute("*", "t", "a", java.util.Map.of("answer", 486)))
                .hasMessageContaining("busy, none, forbidden, timeout");
        for (int status : new int[] {200, 302, 487, 700}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> new SipRoute("*", "t", "a", java.util.Map.of("none", status)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
