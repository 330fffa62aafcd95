package dev.switchboard.sip;

import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.RejectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.switchboard.sip.Harness.APP;
import static dev.switchboard.sip.Harness.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Robustness in the manner of RFC 4475 ("SIP Torture Test Messages"): raw datagrams, written here
 * after the RFC's categories rather than copied from it. Valid but unusual INVITEs must be tried (100)
 * and offered to the bot, which rejects them; invalid ones must be refused with an error response, or
 * dropped where the stack cannot answer them; and whatever came before, a plain INVITE still works.
 *
 * <p>The messages are {@link RawCaller}'s templates. Lines end in LF here and CRLF on the wire; a line
 * starting with whitespace is a folded one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TortureTest {

    private static final String PLAIN = RawCaller.INVITE;

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
    void botRejectsEveryCall() {
        h.bot.reset();
        h.bot.decides(offered -> Optional.of(
                new Command.Reject(offered.callId(), TENANT, APP, RejectReason.BUSY, Optional.empty())));
    }

    @AfterEach
    void everyCallIsOver() {
        await().until(h.bot::everyCallIsOver);
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("compact header forms (v f t i m c l)",
                        "INVITE sip:reception@127.0.0.1:${port} SIP/2.0\n"
                                + "v: SIP/2.0/UDP 127.0.0.1:${me};branch=${branch};rport\n"
                                + "f: \"Caller\" <sip:caller@example.com>;tag=${tag}\n"
                                + "t: <sip:reception@127.0.0.1>\n"
                                + "i: ${callid}\n"
                                + "CSeq: 1 INVITE\n"
                                + "Max-Forwards: 70\n"
                                + "m: <sip:caller@127.0.0.1:${me}>\n"
                                + "c: application/sdp\n"
                                + "l: ${len}\n"
                                + "\n" + SipPhone.OFFER),
                Arguments.of("folded lines, whitespace around colons and slashes, leading zeros",
                        "INVITE sip:reception@127.0.0.1:${port} SIP/2.0\n"
                                + "TO :\n sip:reception@127.0.0.1\n"
                                + "from   : \"Caller\"\n  <sip:caller@example.com>\n  ;\n  tag = ${tag}\n"
                                + "MaX-fOrWaRdS: 0068\n"
                                + "cOnTaCt: <sip:caller@127.0.0.1:${me}>\n"
                                + "Call-ID: ${callid}\n"
                                + "Content-Length   : ${len}\n"
                                + "cseq: 0009\n  INVITE\n"
                                + "Via  : SIP  /   2.0\n  /UDP\n    127.0.0.1:${me};branch=${branch}\n"
                                + "Subject: I know you're there,\n         pick up the phone   \n         and talk to me!\n"
                                + "Content-Type: application/sdp\n"
                                + "\n" + SipPhone.OFFER),
                Arguments.of("header names, URI scheme and transport in any case",
                        "INVITE SIP:reception@127.0.0.1:${port} SIP/2.0\n"
                                + "VIA: SIP/2.0/udp 127.0.0.1:${me};BRANCH=${branch};rport\n"
                                + "fRoM: <sip:caller@example.com>;TAG=${tag}\n"
                                + "to: <SIP:reception@127.0.0.1>\n"
                                + "cAlL-iD: ${callid}\n"
                                + "CSEQ: 1 INVITE\n"
                                + "max-forwards: 70\n"
                                + "CONTACT: <sip:caller@127.0.0.1:${me}>\n"
                                + "content-type: Application/SDP\n"
                                + "CONTENT-LENGTH: ${len}\n"
                                + "\n" + SipPhone.OFFER),
                Arguments.of("escaped characters in the Request-URI's user part",
                        PLAIN.replace("INVITE sip:reception@", "INVITE sip:re%63e%70tion@")),
                Arguments.of("escaped '+' and digits of a number",
                        PLAIN.replace("INVITE sip:reception@", "INVITE sip:%2B4930%31%32%33@")
                                .replace("To: <sip:reception@", "To: <sip:%2B4930123@")),
                Arguments.of("unknown headers and unknown URI and header parameters",
                        PLAIN.replace("INVITE sip:reception@127.0.0.1:${port} SIP/2.0",
                                        "INVITE sip:reception@127.0.0.1:${port};unknownparam=foo;novalue SIP/2.0")
                                .replace(";rport\n", ";rport;x-unknown=1\n")
                                .replace("Max-Forwards: 70\n", "Max-Forwards: 70\n"
                                        + "NewFangledHeader:   newfangled value\n continued newfangled value\n"
                                        + "UnknownHeaderWithUnusualValue: ;;,,;;,;\n"
                                        + "X-Unknown: whatever; a=b\n")
                                .replace("To: <sip:reception@127.0.0.1>", "To: <sip:reception@127.0.0.1;foo=bar>;unknown")),
                Arguments.of("display names in quotes with escaped quotes and backslashes",
                        PLAIN.replace("From: <sip:caller@example.com>",
                                        "From: \"Caller \\\"quoted\\\" \\\\ name\" <sip:caller@example.com>")
                                .replace("To: <sip:reception@127.0.0.1>",
                                        "To: \"Reception \\\"Front\\\" Desk\" <sip:reception@127.0.0.1>")),
                Arguments.of("12 KiB in one datagram, under the bridge's 16 KiB limit",
                        PLAIN.replace("Max-Forwards: 70\n", "Max-Forwards: 70\nX-Padding: " + "p".repeat(12 * 1024) + "\n")));
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void unusualButValidInviteIsTriedAndOfferedToTheBot(String name, String message) throws Exception {
        try (RawCaller caller = new RawCaller(h.bridge.port())) {
            caller.send(message);

            List<String> statuses = caller.receiveUntil(s -> s.startsWith("SIP/2.0 486"));
            assertThat(statuses).first().asString().startsWith("SIP/2.0 100");
            assertThat(statuses).last().asString().startsWith("SIP/2.0 486");
            assertThat(h.bot.awaitSeen("created").state()).isEqualTo("incoming");
        }
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("Content-Length larger than the body", 400,
                        PLAIN.replace("Content-Length: ${len}", "Content-Length: 9999")),
                Arguments.of("negative Content-Length", 400,
                        PLAIN.replace("Content-Length: ${len}", "Content-Length: -999")),
                Arguments.of("non-numeric Content-Length", 400,
                        PLAIN.replace("Content-Length: ${len}", "Content-Length: many")),
                Arguments.of("CSeq method other than the request's", 400,
                        PLAIN.replace("CSeq: 1 INVITE", "CSeq: 1 OPTIONS")),
                Arguments.of("garbage in the Request-URI", 400,
                        PLAIN.replace("INVITE sip:reception@127.0.0.1:${port} SIP/2.0",
                                "INVITE sip:rec<>\"{}|eption@@127.0.0.1:${port}::: SIP/2.0")),
                Arguments.of("Request-URI in angle brackets", 400,
                        PLAIN.replace("INVITE sip:reception@127.0.0.1:${port} SIP/2.0",
                                "INVITE <sip:reception@127.0.0.1:${port}> SIP/2.0")),
                // RFC 3261 8.2 and RFC 4475 3.1.2.16 ask for 505, not a 4xx, for an unknown version
                Arguments.of("unknown SIP version SIP/7.0", 505,
                        PLAIN.replace(" SIP/2.0\n", " SIP/7.0\n")),
                // RFC 4475 3.1.2.18: answered by the bridge, since the stack drops these after parsing
                Arguments.of("no Call-ID", 400, PLAIN.replace("Call-ID: ${callid}\n", "")),
                Arguments.of("no From", 400, PLAIN.replace("From: <sip:caller@example.com>;tag=${tag}\n", "")),
                Arguments.of("no To", 400, PLAIN.replace("To: <sip:reception@127.0.0.1>\n", "")),
                Arguments.of("no Call-ID, From or To, as RFC 4475 3.1.2.18", 400, PLAIN.replace("Call-ID: ${callid}\n", "")
                        .replace("From: <sip:caller@example.com>;tag=${tag}\n", "").replace("To: <sip:reception@127.0.0.1>\n", "")));
    }

    /** What a request lacking a mandatory header is told: the header's name, in the reason phrase. */
    @Test
    void aRequestWithoutCallIdIsToldWhatItLacks() throws Exception {
        try (RawCaller caller = new RawCaller(h.bridge.port())) {
            caller.send(PLAIN.replace("Call-ID: ${callid}\n", ""));

            assertThat(caller.receiveUntil(s -> true)).containsExactly("SIP/2.0 400 Missing Call-ID");
        }
    }

    /** RFC 3261 17.2.1: an ACK is never answered, not even one the bridge cannot read. */
    @Test
    void anAckWithoutCallIdIsNotAnswered() throws Exception {
        try (RawCaller caller = new RawCaller(h.bridge.port())) {
            caller.send(PLAIN.replace("INVITE sip:", "ACK sip:").replace("CSeq: 1 INVITE", "CSeq: 1 ACK")
                    .replace("Call-ID: ${callid}\n", ""));

            assertThat(caller.receiveUntil(s -> true)).isEmpty();
        }
    }

    @Order(2)
    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("refused")
    void invalidRequestIsRefusedAndOffersNothing(String name, int status, String message) throws Exception {
        try (RawCaller caller = new RawCaller(h.bridge.port())) {
            caller.send(message);

            List<String> statuses = caller.receiveUntil(s -> !s.startsWith("SIP/2.0 1"));
            assertThat(statuses).last().asString().startsWith("SIP/2.0 " + status);
            assertThat(statuses).noneMatch(s -> s.startsWith("SIP/2.0 180") || s.startsWith("SIP/2.0 486"));
        }
        assertThat(h.bot.seen).isEmpty();
        assertAPlainInviteStillWorks();
    }

    /*
     * JAIN-SIP drops these before the bridge sees them: one that is only whitespace or cut short is not
     * a message at all, and one without CSeq could not match an answer to its transaction (RFC 3261
     * 17.1.3). RFC 3261 18.3 and RFC 4475 allow discarding what cannot be answered, so the checks are
     * that nothing is answered or offered, the bridge survives, and the next INVITE works.
     */
    static Stream<Arguments> dropped() {
        return Stream.of(
                Arguments.of("no CSeq", PLAIN.replace("CSeq: 1 INVITE\n", "")),
                Arguments.of("only whitespace", "   \n\t \n  \n"),
                Arguments.of("truncated", PLAIN.substring(0, PLAIN.indexOf("To:") + 10)),
                Arguments.of("truncated request line", "INVITE sip:recep"),
                // the stack reads at most SipBridge.MAX_MESSAGE_BYTES of a datagram: the rest is cut off
                Arguments.of("20 KiB in one datagram, over the bridge's limit",
                        PLAIN.replace("Max-Forwards: 70\n", "Max-Forwards: 70\nX-Padding: " + "p".repeat(20 * 1024) + "\n")));
    }

    @Order(3)
    @ParameterizedTest(name = "{0}")
    @MethodSource("dropped")
    void unanswerableMessageIsDroppedAndTheBridgeCarriesOn(String name, String message) throws Exception {
        try (RawCaller caller = new RawCaller(h.bridge.port())) {
            caller.send(message);

            assertThat(caller.receiveUntil(s -> false)).isEmpty();
        }
        assertThat(h.bot.seen).isEmpty();
        assertAPlainInviteStillWorks();
    }

    @Order(4)
    @Test
    void afterAllTheTortureAPhoneCallStillGetsItsOutcome() throws Exception {
        SipPhone.Attempt call = h.phone.call("reception");

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(486);
        assertThat(call.statuses()).startsWith(100);
        assertThat(h.bot.count("created")).isEqualTo(1);
    }

    private void assertAPlainInviteStillWorks() throws Exception {
        try (RawCaller caller = new RawCaller(h.bridge.port())) {
            caller.send(PLAIN);

            assertThat(caller.receiveUntil(s -> s.startsWith("SIP/2.0 486"))).first().asString().startsWith("SIP/2.0 100");
            assertThat(h.bot.awaitSeen("created")).isNotNull();
        }
    }
}
