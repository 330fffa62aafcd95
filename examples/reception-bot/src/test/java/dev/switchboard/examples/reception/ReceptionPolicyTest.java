package dev.switchboard.examples.reception;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.bot.CallingBot;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.ResultInfo;
import dev.switchboard.testkit.PlacedCall;
import dev.switchboard.testkit.SwitchboardExtension;
import dev.switchboard.testkit.TestApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import static org.assertj.core.api.Assertions.assertThat;

/** The reception's rules, with calls placed through a Switchboard running in the test on a manual clock. */
class ReceptionPolicyTest {

    @RegisterExtension
    final SwitchboardExtension sb = SwitchboardExtension.create(setup -> setup.bot("reception"));

    private CallingBot bot;
    private HttpServer server;

    @AfterEach
    void stopBot() {
        if (server != null) server.stop(0);
        if (bot != null) bot.close();
    }

    @Test
    void aKnownCallerIsAnswered() throws IOException {
        start(new ReceptionPolicy(Set.of(), 2, caller -> caller.id().equals(sb.caller().id())));

        PlacedCall call = sb.placeCall("reception");

        call.awaitState(CallState.ESTABLISHED, Duration.ofSeconds(5));
    }

    @Test
    void aBlockedCallerIsForbidden() throws IOException {
        start(new ReceptionPolicy(Set.of(sb.caller().id()), 2, caller -> true));

        assertThat(sb.placeCall("reception").awaitEnded()).isEqualTo(new ResultInfo(403, 0, "Forbidden"));
    }

    @Test
    void anUnknownCallerIsDeclined() throws IOException {
        start(new ReceptionPolicy(Set.of(), 2, caller -> false));

        assertThat(sb.placeCall("reception").awaitEnded()).isEqualTo(new ResultInfo(603, 0, "Declined"));
    }

    @Test
    void atCapacityTheNextCallerHearsBusy() throws IOException {
        start(new ReceptionPolicy(Set.of(), 2, caller -> true));
        sb.placeCall("reception").awaitState(CallState.ESTABLISHED, Duration.ofSeconds(5));
        sb.placeCall("reception").awaitState(CallState.ESTABLISHED, Duration.ofSeconds(5));

        assertThat(sb.placeCall("reception").awaitEnded()).isEqualTo(new ResultInfo(486, 0, "Busy"));
    }

    @Test
    void aDirectoryTooSlowToAnswerGetsTheCallerBusyBeforeFifteenSeconds() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        start(new ReceptionPolicy(Set.of(), 2, caller -> {
            asked.countDown();
            never.await();
            return true;
        }));
        Instant placedAt = sb.now();
        PlacedCall call = sb.placeCall("reception");
        asked.await();

        sb.advance(Duration.ofSeconds(13));

        assertThat(call.awaitEnded()).isEqualTo(new ResultInfo(486, 0, "Busy"));
        assertThat(Duration.between(placedAt, sb.now())).isLessThan(Duration.ofSeconds(15));
        never.countDown();
    }

    private void start(ReceptionPolicy policy) throws IOException {
        TestApp app = sb.app("reception");
        bot = CallingBot.create(config -> {
            config.appId = app.id();
            config.secret = app.secret();
            config.tenantId = app.tenantId();
            config.useSwitchboard(sb.baseUrl());
            config.clock = sb.instantSource();
            config.onIncoming(policy);
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), app.port()), 0);
        server.createContext(app.path(), bot.httpHandler());
        server.start();
    }
}
