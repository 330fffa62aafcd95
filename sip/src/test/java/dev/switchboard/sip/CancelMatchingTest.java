package dev.switchboard.sip;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Which INVITE a CANCEL ends (RFC 3261 9.2): the one with the same top Via branch and sent-by, or,
 * for an RFC 2543 caller whose branch lacks the magic cookie, the one with the same Request-URI,
 * From tag, To, Call-ID, CSeq number and top Via. {@link BridgeSipStack} looks the first kind up by
 * branch; these raw datagrams pin what that look-up must still refuse. The bot decides nothing, so
 * every INVITE waits until a CANCEL ends it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CancelMatchingTest {

    /** RFC 3261 9.1: the INVITE's Request-URI, Call-ID, To, From and CSeq number, and its top Via. */
    private static final String CANCEL = "CANCEL sip:reception@127.0.0.1:${port} SIP/2.0\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:${me};branch=${branch};rport\n"
            + "From: <sip:caller@example.com>;tag=${tag}\n"
            + "To: <sip:reception@127.0.0.1>\n"
            + "Call-ID: ${callid}\n"
            + "CSeq: 1 CANCEL\n"
            + "Max-Forwards: 70\n"
            + "Content-Length: 0\n\n";

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
    void botDecidesNothing() {
        h.bot.reset();
    }

    @AfterEach
    void everyCallIsOver() {
        await().until(h.bot::everyCallIsOver);
    }

    @Test
    void cancelEndsTheInviteWithItsBranchAndNoOther() throws Exception {
        List<RawCaller> callers = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawCaller caller = new RawCaller(h.bridge.port());
                callers.add(caller);
                caller.send(RawCaller.INVITE);
                assertThat(caller.receiveUntil(s -> s.startsWith("SIP/2.0 180"))).last().asString().startsWith("SIP/2.0 180");
            }

            callers.get(1).sendInTheSameTransaction(CANCEL);

            assertThat(answers(callers.get(1))).containsExactlyInAnyOrder("200 CANCEL", "487 INVITE");
            assertThat(answers(callers.get(0))).isEmpty();
            assertThat(answers(callers.get(2))).isEmpty();
            for (int i : new int[] {0, 2}) {
                callers.get(i).sendInTheSameTransaction(CANCEL);
                assertThat(answers(callers.get(i))).as("caller %d was still waiting", i)
                        .containsExactlyInAnyOrder("200 CANCEL", "487 INVITE");
            }
        } finally {
            callers.forEach(RawCaller::close);
        }
    }

    @Test
    void cancelWithABranchOfNoInviteIs481() throws Exception {
        try (RawCaller caller = new RawCaller(h.bridge.port())) {
            caller.send(CANCEL);

            assertThat(answers(caller)).containsExactly("481 CANCEL");
        }
        assertThat(h.bot.seen).isEmpty();
    }

    @Test
    void cancelWithTheBranchButAnotherSentByIs481AndTheInviteGoesOnRinging() throws Exception {
        try (RawCaller caller = new RawCaller(h.bridge.port())) {
            caller.send(RawCaller.INVITE);
            caller.receiveUntil(s -> s.startsWith("SIP/2.0 180"));

            caller.sendInTheSameTransaction(CANCEL.replace("Via: SIP/2.0/UDP 127.0.0.1:${me};", "Via: SIP/2.0/UDP 192.0.2.7:5099;"));
            assertThat(answers(caller)).containsExactly("481 CANCEL");

            caller.sendInTheSameTransaction(CANCEL);
            assertThat(answers(caller)).containsExactlyInAnyOrder("200 CANCEL", "487 INVITE");
        }
    }

    @Test
    void rfc2543CancelWithoutTheMagicCookieEndsItsInvite() throws Exception {
        String invite = RawCaller.INVITE.replace("branch=${branch}", "branch=rfc2543-${tag}");
        String cancel = CANCEL.replace("branch=${branch}", "branch=rfc2543-${tag}");
        try (RawCaller caller = new RawCaller(h.bridge.port())) {
            caller.send(invite);
            caller.receiveUntil(s -> s.startsWith("SIP/2.0 180"));

            caller.sendInTheSameTransaction(cancel);

            assertThat(answers(caller)).containsExactlyInAnyOrder("200 CANCEL", "487 INVITE");
        }
    }

    /** Every response until the line is quiet, as "status method" ("487 INVITE"); provisionals left out. */
    private static List<String> answers(RawCaller caller) throws Exception {
        List<String> answers = new ArrayList<>();
        for (Optional<String> m = caller.receive(); m.isPresent(); m = caller.receive()) {
            String status = RawCaller.firstLine(m.get()).split(" ")[1];
            if (status.startsWith("1")) continue;
            String cseq = RawCaller.header(m.get(), "CSeq");
            String answer = status + " " + cseq.substring(cseq.lastIndexOf(' ') + 1);
            // the bridge retransmits a final response until it hears an ACK, which this caller never sends
            if (!answers.contains(answer)) answers.add(answer);
        }
        return answers;
    }
}
