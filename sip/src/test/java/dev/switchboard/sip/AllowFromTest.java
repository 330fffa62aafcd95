package dev.switchboard.sip;

import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.RejectReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sip.message.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static dev.switchboard.sip.Harness.APP;
import static dev.switchboard.sip.Harness.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code sip.allowFrom}: an INVITE from outside the ranges gets 403 and rings no bot; one from inside rings as usual. */
class AllowFromTest {

    @TempDir
    Path dir;

    @Test
    void anInviteFromOutsideTheRangesIs403AndNoBotHearsOfIt() throws Exception {
        try (Harness h = new Harness(dir, c -> c.withAllowFrom(List.of(SourceRange.parse("192.0.2.0/24"),
                SourceRange.parse("2001:db8::/32"))))) {
            h.bot.decides(offered -> busy(offered));

            SipPhone.Attempt call = h.phone.call("reception");

            assertThat(call.awaitFinal().getStatusCode()).isEqualTo(Response.FORBIDDEN);
            assertThat(call.statuses()).as("not even a 100 Trying").containsExactly(403);
            assertThat(h.store.recent(10)).isEmpty();
            assertThat(h.bot.seen).isEmpty();
            await().until(() -> !h.sent.isEmpty());
            assertThat(h.sent).as("counted, so an operator sees who knocks").extracting(Harness.Sent::status)
                    .containsExactly(403);
        }
    }

    @Test
    void anInviteFromInsideARangeRingsTheBot() throws Exception {
        try (Harness h = new Harness(dir, c -> c.withAllowFrom(List.of(SourceRange.parse("192.0.2.0/24"),
                SourceRange.parse("127.0.0.0/8"))))) {
            h.bot.decides(offered -> busy(offered));

            Response last = h.phone.call("reception").awaitFinal();

            assertThat(last.getStatusCode()).isEqualTo(Response.BUSY_HERE);
            assertThat(h.bot.awaitSeen("deleted").code()).isEqualTo(486);
        }
    }

    private static Optional<Command> busy(TestBot.Seen offered) {
        return Optional.of(new Command.Reject(offered.callId(), TENANT, APP, RejectReason.BUSY, Optional.empty()));
    }
}
