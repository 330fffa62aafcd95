package dev.switchboard.sip;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.Command;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ProxyAuthorizationHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.switchboard.sip.Harness.APP;
import static dev.switchboard.sip.Harness.TENANT;
import static dev.switchboard.sip.SipCallTest.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A trunk that wants credentials: it challenges the bridge's INVITE (401 or 407, RFC 3261 22.2-22.3),
 * and the bridge sends it again once, with the digest of its configured login.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TrunkLoginTest {

    private static final String USER = "bot-line";
    private static final String PASSWORD = "trunk-secret";

    SipTrunk trunk;
    Harness h;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        trunk = new SipTrunk();
        h = new Harness(dir, c -> c.withOutbound(SipOutbound.parse("sip:127.0.0.1:" + trunk.port() + ";transport=udp",
                Optional.empty()).withLogin(new SipOutbound.TrunkLogin(USER, PASSWORD))));
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
    void aProxyChallengeWithQopIsAnsweredWithTheDigestAndTheAnsweredCallIsUp() throws Exception {
        Call call = h.placeThroughTrunk(phone("+4940555"));
        SipTrunk.Incoming first = trunk.awaitInvite();
        first.challenge(Response.PROXY_AUTHENTICATION_REQUIRED, "trunk.example", "nonce-407", true);

        SipTrunk.Incoming second = trunk.awaitInvite();
        assertThat(callId(second.invite)).isEqualTo(callId(first.invite));
        assertThat(cseq(second.invite)).isEqualTo(cseq(first.invite) + 1);
        ProxyAuthorizationHeader auth = (ProxyAuthorizationHeader) second.invite.getHeader(ProxyAuthorizationHeader.NAME);
        assertThat(auth.getUsername()).isEqualTo(USER);
        assertThat(auth.getRealm()).isEqualTo("trunk.example");
        assertThat(auth.getNonce()).isEqualTo("nonce-407");
        assertThat(auth.getQop()).isEqualTo("auth");
        assertThat(auth.getResponse()).isEqualTo(Digest.expected(auth, Request.INVITE, "nonce-407", USER, PASSWORD));
        second.respond(180);
        second.respond(200);

        second.awaitRequest(Request.ACK);
        assertThat(h.bot.awaitSeen(call.id(), "updated").state()).isEqualTo("established");
        second.bye();
        assertThat(h.bot.awaitSeen(call.id(), "deleted").subcode()).isEqualTo(5000);
    }

    @Test
    void aServerChallengeIsAnsweredWithAnAuthorizationAndTheAuthenticatedInvitesAnswerDecides() throws Exception {
        Call call = h.placeThroughTrunk(phone("+4940666"));
        SipTrunk.Incoming first = trunk.awaitInvite();
        first.challenge(Response.UNAUTHORIZED, "trunk.example", "nonce-401", false);

        SipTrunk.Incoming second = trunk.awaitInvite();
        AuthorizationHeader auth = (AuthorizationHeader) second.invite.getHeader(AuthorizationHeader.NAME);
        assertThat(auth.getQop()).isNull();
        assertThat(auth.getResponse()).isEqualTo(Digest.expected(auth, Request.INVITE, "nonce-401", USER, PASSWORD));
        second.respond(486);

        TestBot.Seen deleted = h.bot.awaitSeen(call.id(), "deleted");
        assertThat(deleted.code()).isEqualTo(486);
        assertThat(h.bot.seen).filteredOn(s -> s.callId().equals(call.id())).extracting(TestBot.Seen::changeType)
                .as("the challenge itself is nothing the bot sees").containsExactly("deleted");
    }

    @Test
    void aSecondChallengeIsARefusalThatEndsTheCallWithIt() throws Exception {
        Call call = h.placeThroughTrunk(phone("+4940777"));
        trunk.awaitInvite().challenge(Response.PROXY_AUTHENTICATION_REQUIRED, "trunk.example", "nonce-a", true);
        trunk.awaitInvite().challenge(Response.PROXY_AUTHENTICATION_REQUIRED, "trunk.example", "nonce-b", true);

        TestBot.Seen deleted = h.bot.awaitSeen(call.id(), "deleted");
        assertThat(deleted.code()).isEqualTo(407);
        assertThat(trunk.noInvite()).as("no third INVITE").isTrue();
    }

    @Test
    void theBotHangingUpWhileTheAuthenticatedInviteRingsCancelsThatInvite() throws Exception {
        Call call = h.placeThroughTrunk(phone("+4940888"));
        trunk.awaitInvite().challenge(Response.PROXY_AUTHENTICATION_REQUIRED, "trunk.example", "nonce-c", true);
        SipTrunk.Incoming second = trunk.awaitInvite();
        second.respond(180);

        h.bot.execute(new Command.Hangup(call.id(), TENANT, APP));

        second.awaitRequest(Request.CANCEL);
        assertThat(h.bot.awaitSeen(call.id(), "deleted").subcode()).isEqualTo(7000);
        assertThat(second.sent).containsExactly(180, 487);
    }

    private static String callId(Request r) {
        return ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
    }

    private static long cseq(Request r) {
        return ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }
}
