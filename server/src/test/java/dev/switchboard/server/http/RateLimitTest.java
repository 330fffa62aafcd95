package dev.switchboard.server.http;

import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.fixtures.BotEndpoint;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestSwitchboard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

import static dev.switchboard.server.http.GraphErrorAssert.assertGraphError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code graph.rateLimit}: each app may make one request a second, three at once. The test's clock
 * refills the buckets, so nothing here waits.
 */
class RateLimitTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard(Duration.ofSeconds(15),
            Optional.of(new SwitchboardConfig.RateLimit(1.0, 3)));

    @Test
    void aRequestOverTheAppsLimitGets429WithRetryAfterAndChangesNothing() {
        RawGraph graph = new RawGraph(switchboard.baseUrl());
        OfferedCall call = OfferedCall.place(switchboard, graph);
        String botToken = switchboard.token(switchboard.bot());
        for (int i = 0; i < 3; i++) graph.call(call.botLegId(), botToken);

        HttpResponse<String> throttled = graph.reject(call.botLegId(), botToken, "{\"reason\":\"busy\"}");

        assertGraphError(throttled, 429, "TooManyRequests");
        assertThat(throttled.headers().firstValue("Retry-After")).hasValue("1");
        // another app's requests are its own to count
        graph.call(call.callerLegId(), switchboard.token(switchboard.caller()));

        switchboard.clock().advance(Duration.ofSeconds(3));
        call.assertStillIncoming(switchboard, graph);
        assertThat(graph.reject(call.botLegId(), botToken, "{\"reason\":\"busy\"}").statusCode()).isEqualTo(202);
        switchboard.awaitAllDelivered();
        assertThat(switchboard.botEndpoint().forCall(call.botLegId())).extracting(BotEndpoint.Notification::summary)
                .containsExactly("created:incoming", "deleted:terminated");
    }
}
