package dev.switchboard.bot;

import dev.switchboard.core.calls.ResultInfo;
import dev.switchboard.testkit.SwitchboardExtension;
import dev.switchboard.testkit.TestApp;
import io.javalin.Javalin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** The same endpoint mounted in Javalin. */
class JavalinEndpointTest {

    @RegisterExtension
    final SwitchboardExtension sb = SwitchboardExtension.create(setup -> setup.bot("bot"));

    @Test
    void aBotMountedInJavalinRejectsACall() {
        TestApp app = sb.app("bot");
        CallingBot bot = CallingBot.create(config -> {
            config.appId = app.id();
            config.secret = app.secret();
            config.tenantId = app.tenantId();
            config.useSwitchboard(sb.baseUrl());
            config.clock = sb.instantSource();
            config.onIncoming(call -> Decision.reject(RejectReason.FORBIDDEN));
        });
        Javalin javalin = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = "127.0.0.1";
            config.jetty.port = app.port();
            config.routes.post(app.path(), JavalinEndpoint.handler(bot));
        }).start();
        try {
            assertThat(sb.placeCall("bot").awaitEnded()).isEqualTo(new ResultInfo(403, 0, "Forbidden"));
        } finally {
            javalin.stop();
            bot.close();
        }
    }
}
