package dev.switchboard.server.graph;

import com.microsoft.graph.models.Call;
import com.microsoft.graph.models.RejectReason;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.GraphClients;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestSwitchboard;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.server.graph.SdkCalls.p2pCallTo;
import static dev.switchboard.server.graph.SdkCalls.place;
import static dev.switchboard.server.graph.SdkCalls.reject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Graph SDK's own retry handling meets our 429: the bot's reject is throttled, the SDK waits what
 * Retry-After says (one real second) and sends it again, and the bot's code sees only success.
 */
class ThrottledRejectTest {

    @RegisterExtension
    final TestSwitchboard switchboard = new TestSwitchboard(Duration.ofSeconds(15),
            Optional.of(new SwitchboardConfig.RateLimit(1.0, 1)));

    @Test
    void theSdkWaitsOutA429AndItsRejectThenLands() throws Exception {
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        Interceptor onTheWire = chain -> {
            Response response = chain.proceed(chain.request());
            if (chain.request().url().encodedPath().endsWith("/reject")) statuses.add(response.code());
            return response;
        };
        GraphServiceClient caller = GraphClients.of(switchboard, switchboard.caller());
        GraphServiceClient bot = GraphClients.of(switchboard, switchboard.bot(), onTheWire);
        Call placed = place(caller, p2pCallTo(switchboard.bot(), switchboard.callerEndpoint().url()));
        String botCallId = switchboard.botEndpoint().awaitIncoming(placed.getCallChainId()).callId();
        new RawGraph(switchboard.baseUrl()).call(botCallId, switchboard.token(switchboard.bot()));  // the bot's one request

        CompletableFuture<Void> rejecting = CompletableFuture.runAsync(() -> reject(bot, botCallId, RejectReason.Busy));
        await().atMost(Duration.ofSeconds(10)).until(() -> statuses.contains(429));
        switchboard.clock().advance(Duration.ofSeconds(1));
        rejecting.get(30, TimeUnit.SECONDS);

        assertThat(statuses).containsExactly(429, 202);
        switchboard.awaitAllDelivered();
        assertThat(switchboard.botEndpoint().forCall(botCallId)).extracting(Notification::summary, Notification::result)
                .last().isEqualTo(org.assertj.core.groups.Tuple.tuple("deleted:terminated", "486/0 Busy"));
    }
}
