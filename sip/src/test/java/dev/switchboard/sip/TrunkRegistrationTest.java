package dev.switchboard.sip;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sip.address.SipURI;
import javax.sip.header.AuthorizationHeader;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bridge keeps a trunk told where to send calls for its address (RFC 3261 10.2): it registers at
 * start, refreshes at half of what was granted, answers a challenge, asks again after 423, tries again
 * after a failure, and removes the binding when it stops. The registrar is real SIP over UDP; time is
 * the harness's manual clock.
 */
class TrunkRegistrationTest {

    private static final String USER = "line-7";
    private static final String PASSWORD = "register-secret";
    private static final Duration ASKED = Duration.ofHours(1);

    @TempDir
    Path dir;
    SipRegistrar registrar;
    Harness h;

    @AfterEach
    void stop() {
        if (registrar != null) registrar.grantRemovals();
        if (h != null) h.close();
        if (registrar != null) registrar.close();
    }

    private SipRegistrar.Register start(boolean login) throws Exception {
        registrar = new SipRegistrar();
        SipOutbound trunk = SipOutbound.parse("sip:127.0.0.1:" + registrar.port(), Optional.of("sip:reception@127.0.0.1"))
                .withRegistration(ASKED);
        SipOutbound configured = login ? trunk.withLogin(new SipOutbound.TrunkLogin(USER, PASSWORD)) : trunk;
        h = new Harness(dir, c -> c.withOutbound(configured));
        return registrar.awaitRegister();
    }

    @Test
    void registersItsAddressAtStartAndRefreshesAtHalfOfWhatTheTrunkGranted() throws Exception {
        SipRegistrar.Register first = start(false);
        SipURI requestUri = (SipURI) first.request.getRequestURI();
        assertThat(requestUri.getHost()).isEqualTo("127.0.0.1");
        assertThat(requestUri.getPort()).as("the trunk is the registrar").isEqualTo(registrar.port());
        assertThat(((ToHeader) first.request.getHeader(ToHeader.NAME)).getAddress().getURI().toString())
                .isEqualTo("sip:reception@127.0.0.1");
        assertThat(((FromHeader) first.request.getHeader(FromHeader.NAME)).getAddress().getURI().toString())
                .isEqualTo("sip:reception@127.0.0.1");
        SipURI contact = (SipURI) first.contact().getAddress().getURI();
        assertThat(contact.getUser()).as("calls sent there carry the user the routes match").isEqualTo("reception");
        assertThat(contact.getPort()).isEqualTo(h.bridge.port());
        assertThat(first.expires()).isEqualTo(3600);
        assertThat(h.bridge.trunkRegistered()).as("not before the trunk says so").isFalse();

        first.grant(Duration.ofSeconds(120));
        await().until(h.bridge::trunkRegistered);

        h.clock.advance(Duration.ofSeconds(59));
        assertThat(registrar.registerWithin(Duration.ofMillis(300))).as("too early to refresh").isFalse();
        h.clock.advance(Duration.ofSeconds(1));
        SipRegistrar.Register refresh = registrar.awaitRegister();
        assertThat(callId(refresh.request)).as("one Call-ID for every REGISTER").isEqualTo(callId(first.request));
        assertThat(cseq(refresh.request)).isEqualTo(cseq(first.request) + 1);
        assertThat(refresh.expires()).isEqualTo(3600);
    }

    @Test
    void aBindingThatCannotBeRefreshedRunsOutAndIsTriedAgainLater() throws Exception {
        start(false).grant(Duration.ofSeconds(100));
        await().until(h.bridge::trunkRegistered);

        h.clock.advance(Duration.ofSeconds(50));
        registrar.awaitRegister().respond(503);
        awaitFailures(1);
        h.clock.advance(Duration.ofSeconds(29));
        assertThat(h.bridge.trunkRegistered()).as("the binding granted still holds").isTrue();
        assertThat(registrar.registerWithin(Duration.ofMillis(300))).as("30 s after the failure, not sooner").isFalse();

        h.clock.advance(Duration.ofSeconds(1));
        registrar.awaitRegister().respond(500);
        awaitFailures(2);
        h.clock.advance(Duration.ofSeconds(21));
        assertThat(h.bridge.trunkRegistered()).as("100 s after the grant").isFalse();
        assertThat(registrar.registerWithin(Duration.ofMillis(300))).as("the second wait is 60 s").isFalse();

        h.clock.advance(Duration.ofSeconds(39));
        registrar.awaitRegister().grant(Duration.ofSeconds(100));
        await().until(h.bridge::trunkRegistered);
    }

    @Test
    void aChallengeIsAnsweredWithTheDigestOfTheTrunkLogin() throws Exception {
        SipRegistrar.Register first = start(true);
        first.challenge("trunk.example", "nonce-reg");

        SipRegistrar.Register second = registrar.awaitRegister();
        AuthorizationHeader auth = (AuthorizationHeader) second.request.getHeader(AuthorizationHeader.NAME);
        assertThat(auth.getUsername()).isEqualTo(USER);
        assertThat(auth.getResponse()).isEqualTo(Digest.expected(auth, Request.REGISTER, "nonce-reg", USER, PASSWORD));
        assertThat(callId(second.request)).isEqualTo(callId(first.request));
        assertThat(cseq(second.request)).isEqualTo(cseq(first.request) + 1);
        second.grant(Duration.ofSeconds(600));
        await().until(h.bridge::trunkRegistered);
    }

    @Test
    void aSecondChallengeIsAFailureNotALoop() throws Exception {
        start(true).challenge("trunk.example", "nonce-1");
        registrar.awaitRegister().challenge("trunk.example", "nonce-2");
        awaitFailures(1);

        assertThat(registrar.registerWithin(Duration.ofMillis(500))).as("no third REGISTER at once").isFalse();
        assertThat(h.bridge.trunkRegistered()).isFalse();
        h.clock.advance(TrunkRegistration.FIRST_RETRY);
        registrar.awaitRegister().grant(Duration.ofSeconds(600));
        await().until(h.bridge::trunkRegistered);
    }

    @Test
    void tooBriefAsksAgainAtOnceForTheTrunksMinimum() throws Exception {
        start(false).tooBrief(Duration.ofHours(2));

        SipRegistrar.Register again = registrar.awaitRegister();
        assertThat(again.expires()).isEqualTo(7200);
        again.grant(Duration.ofHours(2));
        await().until(h.bridge::trunkRegistered);
    }

    @Test
    void stoppingRemovesTheBinding() throws Exception {
        SipRegistrar.Register first = start(false);
        first.grant(Duration.ofSeconds(600));
        await().until(h.bridge::trunkRegistered);

        Thread closing = new Thread(h.bridge::close);
        closing.start();
        SipRegistrar.Register removal = registrar.awaitRegister();
        assertThat(removal.expires()).isZero();
        assertThat(removal.contact().getAddress().getURI()).isEqualTo(first.contact().getAddress().getURI());
        removal.grant(Duration.ZERO);
        closing.join(5_000);
        assertThat(closing.isAlive()).as("close returns once the trunk answered").isFalse();
        assertThat(h.bridge.trunkRegistered()).isFalse();
    }

    @Test
    void aGrantOfNoTimeIsAFailureNotALoopOfRegisters() throws Exception {
        start(false).grant(Duration.ZERO);
        awaitFailures(1);

        assertThat(registrar.registerWithin(Duration.ofMillis(500))).as("no REGISTER at once").isFalse();
        assertThat(h.bridge.trunkRegistered()).isFalse();
        h.clock.advance(TrunkRegistration.FIRST_RETRY);
        registrar.awaitRegister().grant(Duration.ofSeconds(600));
        await().until(h.bridge::trunkRegistered);
    }

    @Test
    void backOffDoublesToFiveMinutes() {
        assertThat(TrunkRegistration.retryAfter(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(TrunkRegistration.retryAfter(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(TrunkRegistration.retryAfter(4)).isEqualTo(Duration.ofSeconds(240));
        assertThat(TrunkRegistration.retryAfter(5)).isEqualTo(Duration.ofMinutes(5));
        assertThat(TrunkRegistration.retryAfter(50)).isEqualTo(Duration.ofMinutes(5));
    }

    /** The clock may move on only once the bridge has taken the failure in: its wait counts from then. */
    private void awaitFailures(int n) {
        await().until(() -> h.bridge.registration().orElseThrow().failuresInARow() == n);
    }

    private static String callId(Request r) {
        return ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
    }

    private static long cseq(Request r) {
        return ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber();
    }
}
