package dev.switchboard.bot;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.calls.ResultInfo;
import dev.switchboard.testkit.PlacedCall;
import dev.switchboard.testkit.SwitchboardExtension;
import dev.switchboard.testkit.TestApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's "Write a bot", verbatim between the markers: it compiles, and it rejects a call. */
class ReadmeBotTest {

    @RegisterExtension
    final SwitchboardExtension sb = SwitchboardExtension.create(setup -> setup.bot("bot"));

    @Test
    void theReadmeBotRejectsCallsAsBusy() throws Exception {
        TestApp app = sb.app("bot");
        String appId = app.id(), secret = app.secret(), tenantId = app.tenantId(), baseUrl = sb.baseUrl();
        int port = app.port();

        // README: Write a bot
        CallingBot bot = CallingBot.create(config -> {
            config.appId = appId;
            config.secret = secret;
            config.tenantId = tenantId;
            config.useSwitchboard(baseUrl);                  // leave out for real Graph
            config.onIncoming(call -> Decision.reject(RejectReason.BUSY));
        });
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
        server.createContext("/api/calling", bot.httpHandler());
        server.start();
        // end of README

        try {
            // the first call of a fresh JVM pays class loading on both sides (server and bot share it here)
            assertThat(sb.placeCall("bot").awaitEnded(Duration.ofSeconds(5))).isEqualTo(new ResultInfo(486, 0, "Busy"));

            // a warm call takes about 90 ms here; the bound is generous because tests never assert timings
            PlacedCall call = sb.placeCall("bot");
            assertThat(call.awaitEnded(Duration.ofSeconds(5))).isEqualTo(new ResultInfo(486, 0, "Busy"));
        } finally {
            server.stop(0);
            bot.close();
        }
    }
}
