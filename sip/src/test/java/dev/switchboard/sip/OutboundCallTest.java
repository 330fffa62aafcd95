package dev.switchboard.sip;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Offer;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.PlaceCall;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.sip.address.SipURI;
import javax.sip.header.FromHeader;
import javax.sip.header.RouteHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.switchboard.sip.Harness.APP;
import static dev.switchboard.sip.Harness.TENANT;
import static dev.switchboard.sip.SipCallTest.application;
import static dev.switchboard.sip.SipCallTest.contacts;
import static dev.switchboard.sip.SipCallTest.guest;
import static dev.switchboard.sip.SipCallTest.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A bot calls a phone number or SIP address: the bridge sends the INVITE to a trunk on the wire (a
 * JAIN-SIP server the test drives), and the bot sees the far end's answer as Graph notifications on
 * its own call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboundCallTest {

    SipTrunk trunk;
    Harness h;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        trunk = new SipTrunk();
        h = new Harness(dir, c -> c.withOutbound(SipOutbound.parse("sip:127.0.0.1:" + trunk.port() + ";transport=udp",
                Optional.of("sip:bot-line@switchboard.test"))));
    }

    @AfterAll
    void stop() {
        h.close();
        trunk.close();
    }

    @BeforeEach
    void fresh() {
        h.bot.reset();
        trunk.reset();
    }

    @AfterEach
    void everyCallIsOver() {
        await().until(h.bot::everyCallIsOver);
    }

    @Test
    void answeredCallIsEstablishedForTheBotWithOurOfferAndAckThenTheCalleesByeEndsIt() throws Exception {
        Call call = h.placeThroughTrunk(phone("+49 40 555-0100"));

        SipTrunk.Incoming in = trunk.awaitInvite();
        assertThat(in.invite.getRequestURI().toString()).isEqualTo("sip:+49405550100@127.0.0.1:" + trunk.port() + ";user=phone");
        assertThat(((FromHeader) in.invite.getHeader(FromHeader.NAME)).getAddress().getURI().toString())
                .isEqualTo("sip:bot-line@switchboard.test");
        Matcher media = Pattern.compile("m=audio (\\d+) RTP/AVP 0 8 101").matcher(in.sdp());
        assertThat(media.find()).as(in.sdp()).isTrue();
        assertThat(in.sdp()).contains("a=rtpmap:101 telephone-event/8000");
        in.respond(180);
        in.respond(200);

        in.awaitRequest(Request.ACK);
        TestBot.Seen established = h.bot.awaitSeen(call.id(), "updated");
        assertThat(established.state()).isEqualTo("established");
        assertThat(echoes(Integer.parseInt(media.group(1)))).isTrue();

        in.bye();

        TestBot.Seen deleted = h.bot.awaitSeen(call.id(), "deleted");
        assertThat(deleted.code()).isEqualTo(200);
        assertThat(deleted.subcode()).isEqualTo(5000);
        assertThat(h.bot.seen).filteredOn(s -> s.callId().equals(call.id())).extracting(TestBot.Seen::state)
                .containsExactly("established", "terminated");
    }

    @ParameterizedTest(name = "{0} → {1} {2}")
    @CsvSource({"486, 486, Busy", "600, 486, Busy", "603, 603, Declined", "403, 403, Forbidden",
            "480, 480, Unavailable Now", "404, 404, No Such Number", "408, 408, No Answer",
            "407, 407, Proxy Authentication required"})  // a challenge, and no login to answer it with
    void aFailureResponseEndsTheBotsCallWithTheMatchingResult(int status, int code, String message) throws Exception {
        Call call = h.placeThroughTrunk(phone("+4940555"));
        SipTrunk.Incoming in = trunk.awaitInvite();
        in.respond(180);

        // the far end's own words; the reject reasons keep Graph's messages
        in.respond(status, "Unavailable Now No Such Number No Answer".contains(message) ? message : null);

        TestBot.Seen deleted = h.bot.awaitSeen(call.id(), "deleted");
        assertThat(deleted.code()).isEqualTo(code);
        assertThat(deleted.subcode()).isZero();
        assertThat(deleted.call().at("/resultInfo/message").asText()).isEqualTo(message);
        assertThat(trunk.noInvite()).isTrue();
    }

    @Test
    void aPhoneRingsLongerThanABotMayAndIsConnectedWhenItAnswersAfterThirtySeconds() throws Exception {
        Call call = h.placeThroughTrunk(phone("+4940555"));
        SipTrunk.Incoming in = trunk.awaitInvite();
        in.respond(180);

        h.clock.advance(Duration.ofSeconds(30));
        in.respond(200);

        in.awaitRequest(Request.ACK);
        assertThat(h.bot.awaitSeen(call.id(), "updated").state()).isEqualTo("established");
        in.bye();
        h.bot.awaitSeen(call.id(), "deleted");
    }

    @Test
    void noAnswerWithinTheTrunksRingingTimeCancelsTheInviteAndEndsTheBotsCallWith408() throws Exception {
        Call call = h.placeThroughTrunk(phone("+4940555"));
        SipTrunk.Incoming in = trunk.awaitInvite();
        in.respond(180);

        h.clock.advance(SipOutbound.DEFAULT_RINGING.plusSeconds(1));

        in.awaitRequest(Request.CANCEL);
        TestBot.Seen deleted = h.bot.awaitSeen(call.id(), "deleted");
        assertThat(deleted.code()).isEqualTo(408);
        assertThat(deleted.subcode()).isEqualTo(8544);
    }

    @Test
    void theBotHangingUpBeforeTheAnswerCancelsTheInvite() throws Exception {
        Call call = h.placeThroughTrunk(phone("+4940555"));
        SipTrunk.Incoming in = trunk.awaitInvite();
        in.respond(180);

        h.bot.execute(new Command.Hangup(call.id(), TENANT, APP));

        in.awaitRequest(Request.CANCEL);
        assertThat(h.bot.awaitSeen(call.id(), "deleted").subcode()).isEqualTo(7000);
        assertThat(in.sent).containsExactly(180, 487);
    }

    @Test
    void aCancelledInviteThatIsAnsweredAnywayIsAckedAndEndedWithABye() throws Exception {
        Call call = h.placeThroughTrunk(phone("+4940555"));
        SipTrunk.Incoming in = trunk.awaitInvite();
        // no provisional response yet: the CANCEL must wait for one (RFC 3261 9.1)
        h.bot.execute(new Command.Hangup(call.id(), TENANT, APP));
        h.bot.awaitSeen(call.id(), "deleted");
        assertThat(in.after).isEmpty();

        in.respond(200);

        in.awaitRequest(Request.ACK);
        in.awaitRequest(Request.BYE);
        assertThat(in.after).extracting(Request::getMethod).doesNotContain(Request.CANCEL);
    }

    @Test
    void theBotHangingUpRacingTheCalleesAnswerHasOneOutcomeAndNeverLeavesTheDialogUp() throws Exception {
        for (int round = 0; round < 6; round++) {
            h.bot.reset();
            Call call = h.placeThroughTrunk(phone("+4940555"));
            SipTrunk.Incoming in = trunk.awaitInvite();
            in.respond(180);

            Thread hangingUp = new Thread(() -> h.bot.execute(new Command.Hangup(call.id(), TENANT, APP)));
            hangingUp.start();
            in.respond(200);
            hangingUp.join();

            TestBot.Seen deleted = h.bot.awaitSeen(call.id(), "deleted");
            assertThat(deleted.code()).as("round %d", round).isEqualTo(200);
            assertThat(deleted.subcode()).as("round %d: the bot's own DELETE ended it", round).isEqualTo(7000);
            if (in.sent.contains(487)) {
                assertThat(in.after).extracting(Request::getMethod).as("round %d", round).contains(Request.CANCEL);
            } else {
                // the 200 went out: it is ACKed, and the call the bot ended is ended on the wire too
                in.awaitRequest(Request.ACK);
                in.awaitRequest(Request.BYE);
            }
            await().until(() -> h.bot.seen.stream().filter(s -> s.callId().equals(call.id())
                    && s.changeType().equals("deleted")).count() == 1);
        }
    }

    @Test
    void theBotHangingUpAfterTheAnswerSendsTheCalleeABye() throws Exception {
        Call call = h.placeThroughTrunk(phone("+4940555"));
        SipTrunk.Incoming in = trunk.awaitInvite();
        in.respond(200);
        h.bot.awaitSeen(call.id(), "updated");

        h.bot.execute(new Command.Hangup(call.id(), TENANT, APP));

        in.awaitRequest(Request.BYE);
        assertThat(h.bot.awaitSeen(call.id(), "deleted").subcode()).isEqualTo(7000);
    }

    @Test
    void aSipAddressIsCalledAsItIsThroughTheTrunkAsALooseRoute() throws Exception {
        Call call = h.placeThroughTrunk(guest("sip:alice@far.example.com"));

        SipTrunk.Incoming in = trunk.awaitInvite();

        assertThat(in.invite.getRequestURI().toString()).isEqualTo("sip:alice@far.example.com");
        SipURI route = (SipURI) ((RouteHeader) in.invite.getHeader(RouteHeader.NAME)).getAddress().getURI();
        assertThat(route.getPort()).isEqualTo(trunk.port());
        assertThat(route.hasLrParam()).isTrue();
        in.respond(603);
        assertThat(h.bot.awaitSeen(call.id(), "deleted").code()).isEqualTo(603);
    }

    @Test
    void redirectOfACallerToANumberSendsItThroughTheTrunk() throws Exception {
        h.bot.decides(offered -> Optional.of(new Command.Forward(offered.callId(), TENANT, APP,
                List.of(phone("+4940555")), Optional.empty())));

        Response moved = h.phone.call("reception").awaitFinal();

        assertThat(moved.getStatusCode()).isEqualTo(302);
        assertThat(contacts(moved)).containsExactly("sip:+4940555@127.0.0.1:" + trunk.port() + ";user=phone");
        assertThat(trunk.noInvite()).isTrue();
    }

    @Test
    void redirectOfAnAppsCallToANumberOffersItThroughTheTrunkAndTheAnswerEstablishesTheAppsCall() throws Exception {
        Party number = phone("+4940777");
        h.bot.decides(offered -> Optional.of(new Command.Forward(offered.callId(), TENANT, APP, List.of(number),
                Optional.empty(), h.bridge.gateway().offer(TENANT, number))));
        Offer toTheBot = new Offer(TENANT, APP, application(APP), h.bot.url());
        Call call = h.actions.place(new PlaceCall(TENANT, APP, h.bot.url(), application(APP), List.of(application(APP)),
                List.of(toTheBot), List.of(Modality.AUDIO), Optional.empty(), Optional.empty())).join();

        SipTrunk.Incoming in = trunk.awaitInvite();
        assertThat(in.invite.getRequestURI().toString()).isEqualTo("sip:+4940777@127.0.0.1:" + trunk.port() + ";user=phone");
        in.respond(200);
        in.awaitRequest(Request.ACK);

        assertThat(h.bot.awaitSeen(call.id(), "updated").state()).isEqualTo("established");
        in.bye();
        assertThat(h.bot.awaitSeen(call.id(), "deleted").code()).isEqualTo(200);
        assertThat(h.bot.seen).filteredOn(s -> !s.callId().equals(call.id())).extracting(TestBot.Seen::changeType)
                .as("the bot's own offer: created, then redirected").containsExactly("created", "deleted");
    }

    private static boolean echoes(int port) throws Exception {
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(2_000);
            byte[] rtp = {(byte) 0x80, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 42, 1, 2, 3};
            s.send(new DatagramPacket(rtp, rtp.length, InetAddress.getByName("127.0.0.1"), port));
            DatagramPacket back = new DatagramPacket(new byte[64], 64);
            s.receive(back);
            return back.getLength() == rtp.length;
        }
    }
}
