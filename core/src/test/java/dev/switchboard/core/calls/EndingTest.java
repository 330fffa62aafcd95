package dev.switchboard.core.calls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EndingTest {

    static List<Ending> everyEnding() {
        List<Ending> all = new ArrayList<>(List.of(new Ending.TimedOut(), new Ending.Redirected(),
                new Ending.CallerCancelled(), new Ending.EndedByOwner(), new Ending.RemoteEnded(),
                new Ending.Unreachable(new ResultInfo(480, 0, "Temporarily Unavailable")),
                new Ending.Unreachable(new ResultInfo(404, 0, "Not Found: a message: with colons"))));
        for (RejectReason reason : RejectReason.values()) {
            all.add(new Ending.Rejected(reason));
            all.add(new Ending.PeerRejected(reason));
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("everyEnding")
    void everyEndingParsesBackFromItsCode(Ending ending) {
        assertThat(Ending.parse(ending.code())).contains(ending);
    }

    @Test
    void everyEndingHasItsOwnCode() {
        assertThat(everyEnding()).extracting(Ending::code).doesNotHaveDuplicates();
        assertThat(everyEnding()).hasSize(13);
    }

    @Test
    void endingsCarryTheirDecidedResultInfo() {
        assertThat(new Ending.TimedOut().result()).isEqualTo(new ResultInfo(408, 8544, "Callee could not be reached."));
        assertThat(new Ending.EndedByOwner().result())
                .isEqualTo(new ResultInfo(200, 7000, "The call was ended by the application."));
        assertThat(new Ending.CallerCancelled().result())
                .isEqualTo(new ResultInfo(487, 0, "The caller cancelled the call."));
        assertThat(new Ending.Redirected().result().code()).isEqualTo(302);
        for (RejectReason reason : RejectReason.values()) {
            assertThat(new Ending.Rejected(reason).result()).isEqualTo(reason.result());
            assertThat(new Ending.PeerRejected(reason).result()).isEqualTo(reason.result());
        }
    }

    @Test
    void rejectedCodesAreWrittenWithTheLowercaseReason() {
        assertThat(new Ending.Rejected(RejectReason.BUSY).code()).isEqualTo("rejected:busy");
        assertThat(new Ending.PeerRejected(RejectReason.FORBIDDEN).code()).isEqualTo("peerRejected:forbidden");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rejected", "rejected:", "rejected:unknownFutureValue", "peerRejected:maybe",
            "declined:busy", ":busy", "timedout", "TimedOut", "timedOut ", "ended",
            "unreachable:", "unreachable:480", "unreachable:480:0", "unreachable:x:0:Gone"})
    void unknownCodesDoNotParse(String code) {
        assertThat(Ending.parse(code)).isEmpty();
    }
}
