package dev.switchboard.sip;

import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.Offer;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.RejectReason;
import dev.switchboard.core.calls.Verdict;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.sip.header.ContactHeader;
import javax.sip.header.ReasonHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.sip.Harness.APP;
import static dev.switchboard.sip.Harness.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real SIP caller on the wire, the bridge, the store and a bot that decides. One server for the
 * class (a SIP stack takes a second to stop); every test ends its calls, and the next one starts only
 * once the bot has heard that every call so far is over.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SipCallTest {

    Harness h;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        h = new Harness(dir);
    }

    @AfterAll
    void stop() {
        h.close();
    }

    @BeforeEach
    void freshBot() {
        h.bot.reset();
        h.sent.clear();
    }

    /** The one final response the bridge reported for the test's call, once it has. */
    private Harness.Sent reported() {
        await().until(() -> !h.sent.isEmpty());
        assertThat(h.sent).hasSize(1);
        assertThat(h.sent.get(0).sinceInvite()).isPositive();
        return h.sent.get(0);
    }

    @AfterEach
    void everyCallIsOver() {
        await().until(h.bot::everyCallIsOver);
    }

    private static Optional<Command> reject(TestBot.Seen offered, RejectReason reason) {
        return Optional.of(new Command.Reject(offered.callId(), TENANT, APP, reason, Optional.empty()));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"BUSY, 486, 17", "NONE, 603, 21", "FORBIDDEN, 403, 21"})
    void rejectBecomesTheMappedFinalResponseWithAQ850Reason(RejectReason reason, int status, int cause) throws Exception {
        h.bot.decides(offered -> reject(offered, reason));

        SipPhone.Attempt call = h.phone.call("reception");
        Response last = call.awaitFinal();

        assertThat(last.getStatusCode()).isEqualTo(status);
        ReasonHeader why = (ReasonHeader) last.getHeader(ReasonHeader.NAME);
        assertThat(why.getProtocol()).isEqualTo("Q.850");
        assertThat(why.getCause()).isEqualTo(cause);
        assertThat(call.statuses()).startsWith(100);
        TestBot.Seen deleted = h.bot.awaitSeen("deleted");
        assertThat(deleted.code()).isEqualTo(reason.result().code());
        assertThat(h.bot.verdicts).singleElement().isInstanceOf(Verdict.Applied.class);
        assertThat(reported().status()).isEqualTo(status);
    }

    @Test
    void offeredCallRingsOnceTheBotHasItAndCarriesTheCallerAsAPhoneIdentity() throws Exception {
        SipPhone.Attempt call = h.phone.call("reception");

        call.awaitInvite(180);
        TestBot.Seen created = h.bot.awaitSeen("created");
        assertThat(created.state()).isEqualTo("incoming");
        assertThat(created.call().path("direction").asText()).isEqualTo("incoming");
        assertThat(created.call().at("/source/identity/phone/id").asText()).isEqualTo("+4930123456");
        assertThat(created.call().at("/source/identity/phone/displayName").asText()).isEqualTo("Alice Caller");
        assertThat(created.call().at("/targets/0/identity/application/id").asText()).isEqualTo(APP);
        assertThat(created.call().at("/tenantId").asText()).isEqualTo(TENANT);
        call.cancel();
    }

    @Test
    void sipUriCallerWithANameBecomesAGuestIdentity() throws Exception {
        SipPhone.Attempt call = h.phone.call("reception", "sip:alice@example.com", "Alice", "udp",
                Optional.of(SipPhone.OFFER));

        TestBot.Seen created = h.bot.awaitSeen("created");
        assertThat(created.call().at("/source/identity/guest/id").asText()).isEqualTo("sip:alice@example.com");
        assertThat(created.call().at("/source/identity/guest/displayName").asText()).isEqualTo("Alice");
        call.awaitInvite(180);
        call.cancel();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"NONE, 486, 21", "FORBIDDEN, 607, 21", "BUSY, 486, 17"})
    void routeOverridesTheStatusOfARejectButKeepsItsReason(RejectReason reason, int status, int cause) throws Exception {
        h.bot.decides(offered -> reject(offered, reason));

        Response last = h.phone.call("carrier").awaitFinal();

        assertThat(last.getStatusCode()).isEqualTo(status);
        assertThat(((ReasonHeader) last.getHeader(ReasonHeader.NAME)).getCause()).isEqualTo(cause);
    }

    @Test
    void noDecisionWithinFifteenSecondsIs480ToTheCallerAnd408ToTheBot() throws Exception {
        SipPhone.Attempt call = h.phone.call("reception");
        call.awaitInvite(180);

        h.clock.advance(Duration.ofSeconds(16));

        Response last = call.awaitFinal();
        assertThat(last.getStatusCode()).isEqualTo(480);
        assertThat(((ReasonHeader) last.getHeader(ReasonHeader.NAME)).getCause()).isEqualTo(19);
        TestBot.Seen deleted = h.bot.awaitSeen("deleted");
        assertThat(deleted.code()).isEqualTo(408);
        assertThat(deleted.subcode()).isEqualTo(8544);
    }

    @Test
    void cancelBeforeADecisionIs487AndTheBotsLateRejectFindsNoCall() throws Exception {
        SipPhone.Attempt call = h.phone.call("reception");
        call.awaitInvite(180);
        TestBot.Seen offered = h.bot.awaitSeen("created");

        call.cancel();

        call.await(Request.CANCEL, 200);
        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(487);
        TestBot.Seen deleted = h.bot.awaitSeen("deleted");
        assertThat(deleted.code()).isEqualTo(487);
        assertThat(h.bot.execute(reject(offered, RejectReason.BUSY).orElseThrow())).isInstanceOf(Verdict.NotFound.class);
        assertThat(reported().status()).isEqualTo(487);
    }

    @Test
    void cancelRacingARejectHasExactlyOneOutcomeOnBothSides() throws Exception {
        for (int round = 0; round < 8; round++) {
            h.bot.reset();
            SipPhone.Attempt call = h.phone.call("reception");
            call.awaitInvite(180);
            TestBot.Seen offered = h.bot.awaitSeen("created");

            Thread rejecting = new Thread(() -> h.bot.execute(reject(offered, RejectReason.BUSY).orElseThrow()));
            rejecting.start();
            call.cancel();
            rejecting.join();

            int status = call.awaitFinal().getStatusCode();
            TestBot.Seen deleted = h.bot.awaitSeen("deleted");
            if (h.bot.verdicts.get(0) instanceof Verdict.Applied) {
                assertThat(status).as("round %d: the reject won", round).isEqualTo(486);
                assertThat(deleted.code()).isEqualTo(486);
            } else {
                assertThat(h.bot.verdicts.get(0)).as("round %d", round).isInstanceOf(Verdict.NotFound.class);
                assertThat(status).as("round %d: the cancel won", round).isEqualTo(487);
                assertThat(deleted.code()).isEqualTo(487);
            }
            assertThat(call.statuses().stream().filter(s -> s >= 200)).as("round %d", round).hasSize(1);
        }
    }

    @Test
    void answerIs200WithAnSdpAnswerAndEchoingMediaThenTheCallersByeEndsTheBotsCall() throws Exception {
        h.bot.decides(TestBot::answer);
        SipPhone.Attempt call = h.phone.call("reception");

        Response ok = call.awaitFinal();
        assertThat(ok.getStatusCode()).isEqualTo(200);
        String sdp = new String(ok.getRawContent(), StandardCharsets.UTF_8);
        Matcher media = Pattern.compile("m=audio (\\d+) RTP/AVP 8 101").matcher(sdp);
        assertThat(media.find()).as(sdp).isTrue();
        assertThat(sdp).contains("a=rtpmap:8 PCMA/8000", "a=rtpmap:101 telephone-event/8000", "c=IN IP4 127.0.0.1");
        assertThat(echoes(Integer.parseInt(media.group(1)))).isTrue();
        call.ack(ok);
        assertThat(h.bot.awaitSeen(s -> s.state().equals("established"))).isNotNull();

        call.bye();

        call.await(Request.BYE, 200);
        TestBot.Seen deleted = h.bot.awaitSeen("deleted");
        assertThat(deleted.code()).isEqualTo(200);
        assertThat(deleted.subcode()).isEqualTo(5000);
        assertThat(reported().status()).as("the BYE is not a final response").isEqualTo(200);
    }

    @Test
    void botHangingUpAnAnsweredCallSendsTheCallerABye() throws Exception {
        h.bot.decides(TestBot::answer);
        SipPhone.Attempt call = h.phone.call("reception");
        Response ok = call.awaitFinal();
        call.ack(ok);
        TestBot.Seen established = h.bot.awaitSeen(s -> s.state().equals("established"));

        h.bot.execute(new Command.Hangup(established.callId(), TENANT, APP));

        call.awaitRequest(Request.BYE);
        assertThat(h.bot.awaitSeen("deleted").subcode()).isEqualTo(7000);
    }

    @Test
    void inviteForNoRouteIs404AndOffersNothing() throws Exception {
        SipPhone.Attempt call = h.phone.call("sales");

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(404);
        assertThat(h.bot.seen).isEmpty();
        assertThat(reported().status()).as("counted with the other final responses").isEqualTo(404);
    }

    @Test
    void numberRouteMatchesTheUserPart() throws Exception {
        h.bot.decides(offered -> reject(offered, RejectReason.BUSY));

        assertThat(h.phone.call("+4930999").awaitFinal().getStatusCode()).isEqualTo(486);
    }

    @Test
    void offerWithoutG711Is488() throws Exception {
        String video = SipPhone.OFFER.replace("m=audio 40000 RTP/AVP 8 0 101", "m=audio 40000 RTP/AVP 96")
                .replace("a=rtpmap:8 PCMA/8000", "a=rtpmap:96 opus/48000/2");
        SipPhone.Attempt call = h.phone.call("reception", "sip:bob@example.com", null, "udp", Optional.of(video));

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(488);
        assertThat(h.bot.seen).isEmpty();
        assertThat(reported().status()).isEqualTo(488);
    }

    @Test
    void garbageOnTheWireIsIgnoredAndTheNextCallStillWorks() throws Exception {
        h.bot.decides(offered -> reject(offered, RejectReason.BUSY));
        try (DatagramSocket raw = new DatagramSocket()) {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            for (String junk : List.of("\u0000\u0001\u0002garbage", "INVITE sip:reception@127.0.0.1 SIP/2.0\r\n\r\n",
                    "SIP/2.0 200 OK\r\nVia: nonsense\r\n\r\n", "INVITE  SIP/9.9\r\nContent-Length: -5\r\n\r\nxx")) {
                byte[] bytes = junk.getBytes(StandardCharsets.ISO_8859_1);
                raw.send(new DatagramPacket(bytes, bytes.length, loopback, h.bridge.port()));
            }
        }

        assertThat(h.phone.call("reception").awaitFinal().getStatusCode()).isEqualTo(486);
    }

    @Test
    void inviteSentAgainAfterTheOutcomeGetsTheSameOutcomeWithoutASecondCall() throws Exception {
        h.bot.decides(offered -> reject(offered, RejectReason.BUSY));
        SipPhone.Attempt first = h.phone.call("reception");
        assertThat(first.awaitFinal().getStatusCode()).isEqualTo(486);
        h.bot.awaitSeen("deleted");

        SipPhone.Attempt again = h.phone.again(first, "reception");

        assertThat(again.awaitFinal().getStatusCode()).isEqualTo(486);
        assertThat(h.bot.count("created")).isEqualTo(1);
    }

    @Test
    void callOverTcpIsAnsweredOverTcp() throws Exception {
        h.bot.decides(offered -> reject(offered, RejectReason.FORBIDDEN));

        SipPhone.Attempt call = h.phone.call("reception", "sip:+4930123456@trunk.example.com", null, "tcp",
                Optional.of(SipPhone.OFFER));

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(403);
    }

    @Test
    void optionsIsAnsweredWithWhatTheBridgeAllows() throws Exception {
        SipPhone.Attempt ping = h.phone.request(Request.OPTIONS, "reception");

        Response ok = ping.await(Request.OPTIONS, 200);
        List<String> allowed = new ArrayList<>();
        ok.getHeaders("Allow").forEachRemaining(a -> allowed.add(((javax.sip.header.AllowHeader) a).getMethod()));
        assertThat(allowed).contains("INVITE", "ACK", "CANCEL", "BYE", "OPTIONS");
    }

    @Test
    void lateOfferGetsTheBridgesOwnOffer() throws Exception {
        h.bot.decides(TestBot::answer);
        SipPhone.Attempt call = h.phone.call("reception", "sip:bob@example.com", null, "udp", Optional.empty());

        Response ok = call.awaitFinal();

        assertThat(ok.getStatusCode()).isEqualTo(200);
        assertThat(new String(ok.getRawContent(), StandardCharsets.UTF_8)).containsPattern("m=audio \\d+ RTP/AVP 0 8 101");
        call.ack(ok);
        call.bye();
        call.await(Request.BYE, 200);
    }

    @Test
    void redirectToPhoneNumbersAndASipAddressIs302WithAContactPerTargetAndTheBotsCallEndsRedirected() throws Exception {
        h.bot.decides(offered -> Optional.of(new Command.Forward(offered.callId(), TENANT, APP,
                List.of(phone("+49 40 555-0100"), guest("sip:desk@pbx.example.com")), Optional.empty())));

        Response moved = h.phone.call("reception").awaitFinal();

        assertThat(moved.getStatusCode()).isEqualTo(302);
        assertThat(contacts(moved)).containsExactly("tel:+49405550100", "sip:desk@pbx.example.com");
        TestBot.Seen deleted = h.bot.awaitSeen("deleted");
        assertThat(deleted.code()).isEqualTo(302);
        assertThat(h.bot.count("created")).isEqualTo(1);
    }

    @Test
    void redirectToAnAppOffersTheCallAgainAndTheCallerKeepsWaitingForItsDecision() throws Exception {
        h.bot.decides(offered -> h.bot.count("created") == 1
                ? Optional.of(new Command.Redirect(offered.callId(), TENANT, APP, List.of(new Offer(
                        TENANT, APP, application(APP), h.bot.url())),
                        Optional.empty()))
                : reject(offered, RejectReason.BUSY));

        SipPhone.Attempt call = h.phone.call("reception");

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(486);
        assertThat(call.statuses()).doesNotContain(302);
        assertThat(h.bot.count("created")).isEqualTo(2);
        await().until(() -> h.bot.count("deleted") == 2);
        // two legs, two lanes: the dispatcher orders a call's own notifications, not one call's against another's
        assertThat(h.bot.seen).filteredOn(s -> s.changeType().equals("deleted")).extracting(TestBot.Seen::code)
                .containsExactlyInAnyOrder(302, 486);
    }

    @Test
    void inviteFromAConferenceFocusIsAGroupInvitationWithTheFocusAsThreadAndTheCallerAsOrganizer() throws Exception {
        SipPhone.Attempt call = h.phone.call("reception", invite -> {
            ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
            contact.setAddress(h.phone.addresses.createAddress("sip:conf-42@127.0.0.1:5099;transport=udp"));
            contact.setParameter("isfocus", null);
        });

        TestBot.Seen created = h.bot.awaitSeen("created");
        assertThat(created.call().at("/chatInfo/threadId").asText()).isEqualTo("sip:conf-42@127.0.0.1");
        assertThat(created.call().at("/chatInfo/messageId").asText()).isEqualTo("0");
        assertThat(created.call().at("/meetingInfo/@odata.type").asText()).isEqualTo("#microsoft.graph.organizerMeetingInfo");
        assertThat(created.call().at("/meetingInfo/organizer/phone/id").asText()).isEqualTo("+4930123456");
        call.awaitInvite(180);
        call.cancel();
    }

    @Test
    void threadAndMeetingHeadersMakeAGroupInvitationWithoutAFocus() throws Exception {
        SipPhone.Attempt call = h.phone.call("reception", invite -> {
            invite.addHeader(h.phone.headers.createHeader("X-Switchboard-Thread-Id", "19:meeting_abc@thread.v2"));
            invite.addHeader(h.phone.headers.createHeader("X-Switchboard-Message-Id", "1700000000000"));
            invite.addHeader(h.phone.headers.createHeader("X-Switchboard-Join-Meeting-Id", "123 456 789"));
            invite.addHeader(h.phone.headers.createHeader("X-Switchboard-Meeting-Passcode", "s3cret"));
        });

        TestBot.Seen created = h.bot.awaitSeen("created");
        assertThat(created.call().at("/chatInfo/threadId").asText()).isEqualTo("19:meeting_abc@thread.v2");
        assertThat(created.call().at("/chatInfo/messageId").asText()).isEqualTo("1700000000000");
        assertThat(created.call().at("/meetingInfo/@odata.type").asText()).isEqualTo("#microsoft.graph.joinMeetingIdMeetingInfo");
        assertThat(created.call().at("/meetingInfo/joinMeetingId").asText()).isEqualTo("123 456 789");
        assertThat(created.call().at("/meetingInfo/passcode").asText()).isEqualTo("s3cret");
        call.awaitInvite(180);
        call.cancel();
    }

    @Test
    void aPlainInviteIsNoGroupInvitation() throws Exception {
        SipPhone.Attempt call = h.phone.call("reception");

        TestBot.Seen created = h.bot.awaitSeen("created");
        assertThat(created.call().has("chatInfo")).isFalse();
        assertThat(created.call().has("meetingInfo")).isFalse();
        call.awaitInvite(180);
        call.cancel();
    }

    static Party phone(String number) {
        return Party.of(IdentitySet.of(new Identity(
                IdentityKind.PHONE, number, Optional.empty(), Optional.empty())));
    }

    static Party guest(String uri) {
        return Party.of(IdentitySet.of(new Identity(
                IdentityKind.GUEST, uri, Optional.empty(), Optional.empty())));
    }

    static Party application(String app) {
        return Party.of(IdentitySet.of(
                Identity.application(app, app, TENANT)));
    }

    static List<String> contacts(Response r) {
        List<String> out = new ArrayList<>();
        r.getHeaders(ContactHeader.NAME).forEachRemaining(c ->
                out.add(((ContactHeader) c).getAddress().getURI().toString()));
        return out;
    }

    private static boolean echoes(int port) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2_000);
            byte[] rtp = {(byte) 0x80, 8, 0, 1, 0, 0, 0, 1, 0, 0, 0, 42, 1, 2, 3};
            s.send(new DatagramPacket(rtp, rtp.length, InetAddress.getByName("127.0.0.1"), port));
            DatagramPacket back = new DatagramPacket(new byte[64], 64);
            s.receive(back);
            return back.getLength() == rtp.length;
        }
    }
}
