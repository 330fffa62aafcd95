package dev.switchboard.sip;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Offer;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.PlaceCall;
import dev.switchboard.core.store.TimelineEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sip.header.CSeqHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static dev.switchboard.sip.Harness.APP;
import static dev.switchboard.sip.Harness.TENANT;
import static dev.switchboard.sip.SipCallTest.application;
import static dev.switchboard.sip.SipCallTest.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A node's SIP dialogs and media live in its memory. When it starts again on the same store, the
 * calls it had answered are ended, and their bots told, instead of staying up with nobody on them;
 * another node's calls are left to it.
 */
class SipRestartTest {

    @Test
    void answeredCallsAreEndedWhenTheNodeStartsAgainAndTheBotIsTold(@TempDir Path dir) throws Exception {
        String botLeg;
        String callerLeg;
        String ringing;
        try (Harness h = new Harness(dir)) {
            h.bot.decides(offered -> offered.callId().equals(h.bot.seen.get(0).callId())
                    ? TestBot.answer(offered)
                    : Optional.empty());
            SipPhone.Attempt answered = h.phone.call("reception");
            Response ok = answered.awaitFinal();
            answered.ack(ok);
            botLeg = h.bot.awaitSeen(s -> s.state().equals("established")).callId();
            callerLeg = callerLegOf(h, botLeg);
            await().until(() -> h.store.find(callerLeg).orElseThrow().state() == CallState.ESTABLISHED);
            // a second call still ringing at the restart: its caller resends the INVITE, so it is left alone
            h.phone.call("reception");
            await().until(() -> h.bot.seen.size() >= 3);
            ringing = h.bot.seen.stream().filter(s -> s.state().equals("incoming")).skip(1).findFirst().orElseThrow().callId();
        }

        // another node sharing the store starts: the call is not its to end
        try (Harness other = new Harness(dir, c -> new SipConfig(c.host(), c.port(), c.advertisedHost(), "node-2",
                c.routes(), c.outbound(), c.tls()))) {
            assertThat(other.store.find(callerLeg).orElseThrow().state()).isEqualTo(CallState.ESTABLISHED);
        }

        try (Harness h = new Harness(dir)) {
            Call bot = h.store.find(botLeg).orElseThrow();
            Call caller = h.store.find(callerLeg).orElseThrow();
            assertThat(bot.state()).isEqualTo(CallState.TERMINATED);
            assertThat(caller.state()).isEqualTo(CallState.TERMINATED);
            assertThat(bot.resultInfo().orElseThrow().code()).isEqualTo(200);
            assertThat(bot.resultInfo().orElseThrow().subcode()).isEqualTo(5000);
            assertThat(h.store.timeline(botLeg)).extracting(TimelineEntry::detail)
                    .anyMatch(d -> d.startsWith("deleted queued"));
            assertThat(h.store.find(ringing).orElseThrow().state()).isEqualTo(CallState.INCOMING);
        }
    }

    /** The stack's dialog died with the first process; the BYE is built from the one kept in the store. */
    @Test
    void thePhoneOfAnAnsweredCallGetsItsByeFromTheRestartedNode(@TempDir Path dir) throws Exception {
        String callerLeg;
        String toTag;
        try (RawCaller phone = new RawCaller(0)) {
            try (Harness h = new Harness(dir)) {
                h.bot.decides(TestBot::answer);
                phone.to(h.bridge.port()).send(RawCaller.INVITE);
                String ok = phone.receiveFirst(line -> line.startsWith("SIP/2.0 200")).orElseThrow();
                toTag = RawCaller.tagOf(RawCaller.header(ok, "To"));
                phone.sendInTheSameTransaction(ACK.replace("${totag}", toTag));
                String botLeg = h.bot.awaitSeen(s -> s.state().equals("established")).callId();
                callerLeg = callerLegOf(h, botLeg);
                await().until(() -> h.store.dialog(callerLeg).isPresent());
            }

            try (Harness h = new Harness(dir)) {
                String bye = phone.receiveFirst(line -> line.startsWith("BYE ")).orElseThrow(
                        () -> new AssertionError("no BYE reached the phone after the restart"));
                phone.reply(bye, 200);
                assertThat(RawCaller.firstLine(bye)).isEqualTo("BYE sip:caller@127.0.0.1:" + phone.port() + " SIP/2.0");
                assertThat(RawCaller.header(bye, "Call-ID")).endsWith(phone.callId());
                assertThat(RawCaller.tagOf(RawCaller.header(bye, "From"))).as("ours, as in the 200").isEqualTo(toTag);
                assertThat(RawCaller.tagOf(RawCaller.header(bye, "To"))).as("the phone's, as in its INVITE").isEqualTo(phone.tag());
                assertThat(RawCaller.header(bye, "CSeq")).endsWith(" BYE");
                assertThat(h.store.find(callerLeg).orElseThrow().state()).isEqualTo(CallState.TERMINATED);
            }
        }
    }

    private static final String ACK = "ACK sip:switchboard@127.0.0.1:${port} SIP/2.0\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:${me};branch=${branch}ack;rport\n"
            + "From: <sip:caller@example.com>;tag=${tag}\n"
            + "To: <sip:reception@127.0.0.1>;tag=${totag}\n"
            + "Call-ID: ${callid}\n"
            + "CSeq: 1 ACK\n"
            + "Max-Forwards: 70\n"
            + "Content-Length: 0\n"
            + "\n";

    @Test
    void anAnsweredCallOutThroughTheTrunkIsEndedToo(@TempDir Path dir) throws Exception {
        try (SipTrunk trunk = new SipTrunk()) {
            UnaryOperator<SipConfig> viaTrunk = c -> c.withOutbound(SipOutbound.parse(
                    "sip:127.0.0.1:" + trunk.port() + ";transport=udp", Optional.empty()));
            Call botsCall;
            SipTrunk.Incoming in;
            try (Harness h = new Harness(dir, viaTrunk)) {
                Party target = phone("+49 40 555-0100");
                Offer offer = h.bridge.gateway().offer(TENANT, target).orElseThrow();
                botsCall = h.actions.place(new PlaceCall(TENANT, APP, h.bot.url(), application(APP), List.of(target),
                        List.of(offer), List.of(Modality.AUDIO), Optional.empty(), Optional.empty())).join();
                in = trunk.awaitInvite();
                in.respond(200);
                in.awaitRequest(Request.ACK);
                h.bot.awaitSeen(s -> s.callId().equals(botsCall.id()) && s.state().equals("established"));
                String bridgesLeg = h.store.held(SipBridge.APP_ID, CallState.ESTABLISHED, 10).get(0).id();
                await().until(() -> h.store.dialog(bridgesLeg).isPresent());
            }

            try (Harness h = new Harness(dir, viaTrunk)) {
                Call ended = h.store.find(botsCall.id()).orElseThrow();
                assertThat(ended.state()).isEqualTo(CallState.TERMINATED);
                assertThat(h.store.timeline(botsCall.id())).extracting(TimelineEntry::detail)
                        .anyMatch(d -> d.startsWith("deleted queued"));
                assertThat(h.store.held(SipBridge.APP_ID, CallState.ESTABLISHED, 10)).isEmpty();
                // the far end's stack still holds the dialog: it takes the BYE as one of its own
                Request bye = in.awaitRequest(Request.BYE);
                assertThat(bye.getRequestURI().toString()).isEqualTo("sip:far-end@127.0.0.1:" + trunk.port());
                assertThat(((FromHeader) bye.getHeader(FromHeader.NAME)).getTag())
                        .isEqualTo(((FromHeader) in.invite.getHeader(FromHeader.NAME)).getTag());
                assertThat(((ToHeader) bye.getHeader(ToHeader.NAME)).getTag()).isEqualTo(in.toTag);
                assertThat(((CSeqHeader) bye.getHeader(CSeqHeader.NAME)).getSeqNumber()).as("after the INVITE's 1").isEqualTo(2);
            }
        }
    }

    private static String callerLegOf(Harness h, String botLeg) {
        String chain = h.store.find(botLeg).orElseThrow().callChainId();
        return h.store.recent(10).stream()
                .filter(c -> c.callChainId().equals(chain) && !c.id().equals(botLeg))
                .findFirst().orElseThrow().id();
    }
}
