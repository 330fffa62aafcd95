package dev.switchboard.sip;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.message.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sip.outbound.keepAlive}: the bridge asks the trunk an OPTIONS at each interval and says whether
 * it answers. Any response counts (this trunk answers 405); an OPTIONS still unanswered when the next is
 * due marks the trunk down, and the next answer marks it up again. Time is the harness's manual clock.
 */
class TrunkProbeTest {

    private static final Duration EVERY = Duration.ofSeconds(30);

    SipRegistrar trunk;
    Harness h;

    @AfterEach
    void stop() {
        if (h != null) h.close();
        if (trunk != null) trunk.close();
    }

    @Test
    void aTrunkThatAnswersIsUpOneThatStopsIsDownAndOneThatAnswersAgainIsUpAgain(@TempDir Path dir) throws Exception {
        trunk = new SipRegistrar();
        h = new Harness(dir, c -> c.withOutbound(SipOutbound.parse("sip:127.0.0.1:" + trunk.port(), Optional.empty())
                .probedEvery(EVERY)));
        await().until(h.bridge::trunkUp);
        Request first = trunk.others.get(0);
        assertThat(first.getMethod()).isEqualTo(Request.OPTIONS);
        assertThat(((SipURI) first.getRequestURI()).getPort()).isEqualTo(trunk.port());

        trunk.deaf(true);
        h.clock.advance(EVERY);
        await().until(() -> optionsSent() == 2);  // heard and dropped, with its retransmissions
        assertThat(h.bridge.trunkUp()).as("not judged before the next is due").isTrue();
        h.clock.advance(EVERY);
        await().until(() -> !h.bridge.trunkUp());

        trunk.deaf(false);  // a copy of the third OPTIONS, sent again by the stack, may be the first answered
        h.clock.advance(EVERY);
        await().until(() -> h.bridge.trunkUp() && optionsSent() == 4);
    }

    /** How many distinct OPTIONS reached the trunk, answered or not: retransmissions share a CSeq. */
    private long optionsSent() {
        return trunk.others.stream().mapToLong(TrunkProbeTest::cseq).distinct().count();
    }

    private static long cseq(Request r) {
        return ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }
}
