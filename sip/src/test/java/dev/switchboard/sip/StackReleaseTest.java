package dev.switchboard.sip;

import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.RejectReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sip.message.Response;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static dev.switchboard.sip.Harness.APP;
import static dev.switchboard.sip.Harness.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How long the SIP stack keeps a rejected call: its INVITE transaction for Timer I
 * ({@link BridgeSipStack#TIMER_I_MILLIS}) after the caller's ACK, not the RFC's 5 s, and its early
 * dialog for a linger of {@link SipBridge#LINGER_SECONDS}, not JAIN-SIP's 8, since what the stack
 * kept was about half of the server's live heap under load. And what that must not break: an ACK repeated after
 * the transaction is gone is ignored. Real SIP timers, so real seconds: each test waits a few.
 */
class StackReleaseTest {

    /** Timer I and the stack's 500 ms ticks, with room to spare; short of the RFC's 5 s. */
    private static final Duration RELEASED_WITHIN = Duration.ofMillis(3_500);
    /** The linger and the ticks, with room to spare; short of the stack's default 8 s. */
    private static final Duration DIALOG_RELEASED_WITHIN = Duration.ofMillis(4_500);

    private static final String ACK = "ACK sip:reception@127.0.0.1:${port} SIP/2.0\n"
            + "Via: SIP/2.0/UDP 127.0.0.1:${me};branch=${branch};rport\n"
            + "From: <sip:caller@example.com>;tag=${tag}\n"
            + "To: <sip:reception@127.0.0.1>;tag=TO_TAG\n"
            + "Call-ID: ${callid}\n"
            + "CSeq: 1 ACK\n"
            + "Max-Forwards: 70\n"
            + "Content-Length: 0\n\n";

    Harness h;

    @BeforeEach
    void start(@TempDir Path dir) throws Exception {
        h = new Harness(dir);
    }

    @AfterEach
    void stop() {
        h.close();
    }

    @Test
    void aRejectedCallsTransactionIsReleasedASecondAfterTheAckAndItsDialogALingerLater() throws Exception {
        SipPhone.Attempt call = h.phone.call("reception"); // a JAIN-SIP caller: it ACKs the 486 itself
        call.awaitInvite(180);
        assertThat(h.bridge.heldTransactions()).as("the ringing INVITE's transaction").isEqualTo(1);
        assertThat(h.bridge.heldDialogs()).as("its early dialog, since the 180").isEqualTo(1);

        h.bot.execute(busy(h.bot.awaitSeen("created")));

        assertThat(call.awaitFinal().getStatusCode()).isEqualTo(Response.BUSY_HERE);
        await().atMost(RELEASED_WITHIN).until(() -> h.bridge.heldTransactions() == 0);
        await().atMost(DIALOG_RELEASED_WITHIN).until(() -> h.bridge.heldDialogs() == 0);
    }

    @Test
    void anAckRepeatedAfterTheTransactionIsGoneIsIgnored() throws Exception {
        try (RawCaller caller = new RawCaller(h.bridge.port())) {
            h.bot.decides(offered -> Optional.of(busy(offered)));
            caller.send(RawCaller.INVITE);
            String busy = caller.receiveFirst(status -> status.startsWith("SIP/2.0 486"))
                    .orElseThrow(() -> new AssertionError("no 486"));
            String ack = ACK.replace("TO_TAG", toTag(busy));
            caller.sendInTheSameTransaction(ack);
            await().atMost(RELEASED_WITHIN).until(() -> h.bridge.heldTransactions() == 0);
            String botsCall = h.bot.awaitSeen("deleted").callId();

            caller.sendInTheSameTransaction(ack);

            assertThat(caller.receive()).as("nothing answers an ACK").isEmpty();
            assertThat(h.bridge.heldTransactions()).isZero();
            assertThat(h.store.find(botsCall)).hasValueSatisfying(c -> assertThat(c.state()).isEqualTo(CallState.TERMINATED));
            assertThat(h.bot.seen).extracting(TestBot.Seen::changeType).containsExactly("created", "deleted");
        }
    }

    private static Command busy(TestBot.Seen offered) {
        return new Command.Reject(offered.callId(), TENANT, APP, RejectReason.BUSY, Optional.empty());
    }

    private static String toTag(String response) {
        return RawCaller.tagOf(RawCaller.header(response, "To"));
    }
}
