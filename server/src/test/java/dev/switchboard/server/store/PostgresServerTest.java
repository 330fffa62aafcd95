package dev.switchboard.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.fixtures.BotEndpoint;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestApp;
import dev.switchboard.store.postgres.PostgresCallStore;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static dev.switchboard.server.fixtures.TestSwitchboard.ALL_PERMISSIONS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A whole server on PostgreSQL ({@code store.kind: postgres}): one call, over HTTP, from create to both sides' end. */
class PostgresServerTest {

    private static EmbeddedPostgres postgres;

    @TempDir
    Path dataDir;
    private final ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final String tenant = UUID.randomUUID().toString();
    private final TestApp caller = TestApp.named(tenant, "caller");
    private final TestApp bot = TestApp.named(tenant, "bot");
    private final BotEndpoint callerEndpoint = new BotEndpoint("caller");
    private final BotEndpoint botEndpoint = new BotEndpoint("bot");
    private Switchboard server;
    private RawGraph graph;

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        if (postgres != null) postgres.close();
    }

    @BeforeEach
    void start() {
        SwitchboardConfig config = new SwitchboardConfig(
                new SwitchboardConfig.Http("127.0.0.1", 0, null), dataDir, null,
                new SwitchboardConfig.Notifications(null, true, null),
                List.of(new SwitchboardConfig.Tenant(tenant, List.of(
                        new SwitchboardConfig.AppEntry(caller.id(), caller.name(), caller.secret(), callerEndpoint.url(),
                                ALL_PERMISSIONS),
                        new SwitchboardConfig.AppEntry(bot.id(), bot.name(), bot.secret(), botEndpoint.url(),
                                ALL_PERMISSIONS)))),
                SwitchboardConfig.Store.postgres("jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres",
                        "postgres", null, 4));
        server = Switchboard.start(config, clock);
        callerEndpoint.trust(server.baseUrl(), tenant, caller.id(), clock::now);
        botEndpoint.trust(server.baseUrl(), tenant, bot.id(), clock::now);
        graph = new RawGraph(server.baseUrl());
    }

    @AfterEach
    void stop() {
        if (server != null) server.close();
        callerEndpoint.close();
        botEndpoint.close();
        assertThat(callerEndpoint.failures()).isEmpty();
        assertThat(botEndpoint.failures()).isEmpty();
    }

    @Test
    void aRejectedCallEndsBothLegsAndTellsBothSidesFromPostgres() throws Exception {
        assertThat(server.store()).isInstanceOf(PostgresCallStore.class);
        assertThat(server.store().healthy()).isTrue();

        JsonNode placed = graph.placeCall(token(caller), bot.id(), callerEndpoint.url());
        String callerLeg = placed.path("id").asText();
        String botLeg = botEndpoint.awaitIncoming(placed.path("callChainId").asText()).callId();
        HttpResponse<String> rejected = graph.reject(botLeg, token(bot), "{\"reason\":\"busy\"}");
        assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(202);
        awaitAllDelivered();

        assertThat(botEndpoint.forCall(botLeg)).extracting(Notification::summary)
                .containsExactly("created:incoming", "deleted:terminated");
        assertThat(botEndpoint.forCall(botLeg).get(1).result()).isEqualTo("486/0 Busy");
        assertThat(callerEndpoint.forCall(callerLeg)).extracting(Notification::summary, Notification::result)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("deleted:terminated", "486/0 Busy"));
        assertThat(graph.call(callerLeg, token(caller)).path("state").asText()).isEqualTo("terminated");
        assertThat(graph.call(botLeg, token(bot)).path("state").asText()).isEqualTo("terminated");
        // the rows are in PostgreSQL, not in a file under dataDir
        assertThat(states(callerLeg, botLeg)).containsExactly("terminated", "terminated");
        assertThat(dataDir.resolve("switchboard.db")).doesNotExist();
    }

    private List<String> states(String... callIds) throws Exception {
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT state FROM calls WHERE id IN ('"
                     + String.join("','", callIds) + "')")) {
            List<String> states = new java.util.ArrayList<>();
            while (rows.next()) states.add(rows.getString(1));
            return states;
        }
    }

    private void awaitAllDelivered() {
        await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10))
                .until(() -> server.store().pending(0, clock.now().plus(Duration.ofDays(36_500)), 1).isEmpty());
    }

    private String token(TestApp app) {
        return graph.appToken(app, server.baseUrl() + "/.default");
    }
}
