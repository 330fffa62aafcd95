package dev.switchboard.sip;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.OptionalInt;

import static org.assertj.core.api.Assertions.assertThat;

class SdpTest {

    @Test
    void picksTheFirstG711TheOfferListsAndItsTelephoneEvent() {
        assertThat(Sdp.negotiate(SipPhone.OFFER)).contains(new Sdp.Audio(Sdp.PCMA, OptionalInt.of(101)));
    }

    /** Lenient in what it reads: bare LF line ends, runs of spaces, stray whitespace around a line. */
    @Test
    void offerWithBareLineFeedsAndRunsOfSpacesIsRead() {
        String offer = "v=0\nm=audio  5004   RTP/AVP  96 8 101 \na=rtpmap:96   opus/48000/2\n  a=rtpmap:101 telephone-event/8000\n";

        assertThat(Sdp.negotiate(offer)).contains(new Sdp.Audio(Sdp.PCMA, OptionalInt.of(101)));
    }

    @Test
    void staticPayloadTypesNeedNoRtpmap() {
        String offer = "v=0\r\nc=IN IP4 10.0.0.1\r\nm=audio 5004 RTP/AVP 0\r\n";

        assertThat(Sdp.negotiate(offer)).contains(new Sdp.Audio(Sdp.PCMU, OptionalInt.empty()));
    }

    @Test
    void offerWithoutG711OrAudioOrWithGarbageIsNotAcceptable() {
        assertThat(Sdp.negotiate("v=0\r\nm=audio 5004 RTP/AVP 96\r\na=rtpmap:96 opus/48000/2\r\n")).isEmpty();
        assertThat(Sdp.negotiate("v=0\r\nm=video 5004 RTP/AVP 0\r\n")).isEmpty();
        assertThat(Sdp.negotiate("v=0\r\nm=audio 0 RTP/AVP 0\r\n")).isEmpty();
        assertThat(Sdp.negotiate("m=audio x RTP/AVP zero\r\n")).isEmpty();
        assertThat(Sdp.negotiate("")).isEmpty();
    }

    @Test
    void answerNamesOneCodecTheEventsAndWhereToSendMedia() {
        String answer = Sdp.describe(Optional.of(new Sdp.Audio(Sdp.PCMU, OptionalInt.of(96))), "192.0.2.7", 30000, 42);

        assertThat(answer).contains("c=IN IP4 192.0.2.7\r\n", "m=audio 30000 RTP/AVP 0 96\r\n",
                "a=rtpmap:0 PCMU/8000\r\n", "a=rtpmap:96 telephone-event/8000\r\n", "a=sendrecv\r\n");
        assertThat(Sdp.negotiate(answer)).contains(new Sdp.Audio(Sdp.PCMU, OptionalInt.of(96)));
    }
}
