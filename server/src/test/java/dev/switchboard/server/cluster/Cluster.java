package dev.switchboard.server.cluster;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.fixtures.BotEndpoint;
import dev.switchboard.server.fixtures.RawGraph;
import dev.switchboard.server.fixtures.TestApp;
import dev.switchboard.server.keys.KeyRing;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.server.fixtures.TestSwitchboard.ALL_PERMISSIONS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several Switchboard nodes in this JVM, each with its own HTTP port, dispatcher, deadline sweep and
 * (optionally) SIP listener, sharing one PostgreSQL database and one set of signing keys, as a cluster
 * behind a load balancer does: every node names the same {@code graph.baseUrl} (the first node's
 * address), so a token from any node is good on all. Each cluster gets a database of its own on the
 * shared embedded server, so NOTIFY traffic of other tests does not reach it.
 */
final class Cluster implements AutoCloseable {

    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    final String tenant = UUID.randomUUID().toString();
    final TestApp caller = TestApp.named(tenant, "caller");
    final TestApp bot = TestApp.named(tenant, "bot");
    final BotEndpoint callerEndpoint = new BotEndpoint("caller");
    final BotEndpoint botEndpoint = new BotEndpoint("bot");

    private final Path dataDir;
    private final Clock clock;
    private final Duration answerTimeout;
    private final Duration lease;
    private final String jdbcUrl;
    private final String role;
    private final int firstPort = freePort();
    private final List<Switchboard> nodes = new ArrayList<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    Cluster(Path dataDir, Clock clock, Duration answerTimeout, Duration lease) {
        this(dataDir, clock, answerTimeout, lease, false);
    }

    /**
     * @param ownRole whether the nodes log in as a role of their own, which {@link #lockOut} can take
     *                the database away from
     */
    Cluster(Path dataDir, Clock clock, Duration answerTimeout, Duration lease, boolean ownRole) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.answerTimeout = answerTimeout;
        this.lease = lease;
        String database = "cluster_" + DATABASES.incrementAndGet() + "_" + ProcessHandle.current().pid();
        this.role = ownRole ? database + "_role" : "postgres";
        if (ownRole) admin("CREATE ROLE " + role + " LOGIN");
        admin("CREATE DATABASE " + database + " OWNER " + role);
        this.jdbcUrl = "jdbc:postgresql://localhost:" + server().getPort() + "/" + database;
        try {
            Path keys = Files.createDirectories(dataDir.resolve("keys"));
            // made once, before any node starts, so no two nodes race to create them
            KeyRing.open(keys.resolve("api-signing.jwks"));
            KeyRing.open(keys.resolve("notification-signing.jwks"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts node {@code id}; with {@code sipPort}, it listens for SIP and routes {@code reception} to the bot. */
    Switchboard start(String id, Optional<Integer> sipPort) {
        return start(id, sipPort, null);
    }

    /** The same, with a SIP trunk for outbound calls (null for none). */
    Switchboard start(String id, Optional<Integer> sipPort, SwitchboardConfig.SipOutboundEntry outbound) {
        int port = nodes.isEmpty() ? firstPort : 0;
        SwitchboardConfig config = new SwitchboardConfig(
                new SwitchboardConfig.Http("127.0.0.1", port, null), dataDir,
                new SwitchboardConfig.Graph("http://127.0.0.1:" + firstPort, answerTimeout),
                new SwitchboardConfig.Notifications(null, true, null),
                List.of(new SwitchboardConfig.Tenant(tenant, List.of(
                        new SwitchboardConfig.AppEntry(caller.id(), caller.name(), caller.secret(), callerEndpoint.url(),
                                ALL_PERMISSIONS),
                        new SwitchboardConfig.AppEntry(bot.id(), bot.name(), bot.secret(), botEndpoint.url(),
                                ALL_PERMISSIONS)))),
                SwitchboardConfig.Store.postgres(jdbcUrl, role, null, 4),
                sipPort.map(p -> new SwitchboardConfig.Sip("127.0.0.1", p, null, null, List.of(
                        new SwitchboardConfig.SipRouteEntry("sip:reception@*", tenant, bot.id(), null, null)), outbound, null)).orElse(null),
                new SwitchboardConfig.Node(id, lease));
        Switchboard node = Switchboard.start(config, clock);
        if (nodes.isEmpty()) {
            callerEndpoint.trust(node.baseUrl(), tenant, caller.id(), clock::now);
            botEndpoint.trust(node.baseUrl(), tenant, bot.id(), clock::now);
        }
        nodes.add(node);
        return node;
    }

    /** The YAML of a node run as a child process ({@code serve --config}): same apps, store and keys. */
    String childConfig(String id, int port) {
        return "http:\n  host: 127.0.0.1\n  port: " + port + "\n"
                + "dataDir: \"" + dataDir + "\"\n"
                + "graph:\n  baseUrl: http://127.0.0.1:" + firstPort + "\n  answerTimeout: " + answerTimeout.toMillis() + "ms\n"
                + "notifications:\n  allowInsecureLoopback: true\n"
                + "store:\n  kind: postgres\n  url: \"" + jdbcUrl + "\"\n  user: " + role + "\n  pool: 4\n"
                + "node:\n  id: " + id + "\n  deliveryLease: " + lease.toMillis() + "ms\n"
                + "tenants:\n  - id: " + tenant + "\n    apps:\n"
                + app(caller, callerEndpoint) + app(bot, botEndpoint);
    }

    private static String app(TestApp app, BotEndpoint endpoint) {
        return "      - id: " + app.id() + "\n        name: " + app.name() + "\n        secret: " + app.secret()
                + "\n        callbackUri: " + endpoint.url() + "\n        permissions: ["
                + String.join(", ", ALL_PERMISSIONS) + "]\n";
    }

    /** The database goes away for the nodes: their role may not log in, and their sessions are ended. */
    void lockOut() {
        admin("ALTER ROLE " + role + " NOLOGIN");
        admin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '" + role + "'");
    }

    /** The database is back. */
    void letIn() {
        admin("ALTER ROLE " + role + " LOGIN");
    }

    /** The number a {@code SELECT count(*) …} on this cluster's database answers. */
    int count(String sql) {
        return query(sql, rows -> {
            try {
                rows.next();
                return rows.getInt(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs {@code sql} on this cluster's database. */
    <T> T query(String sql, java.util.function.Function<java.sql.ResultSet, T> read) {
        try (Connection connection = java.sql.DriverManager.getConnection(jdbcUrl, "postgres", null);
             Statement statement = connection.createStatement();
             java.sql.ResultSet rows = statement.executeQuery(sql)) {
            return read.apply(rows);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    /** The node's own address, not the shared base URL. */
    RawGraph graph(Switchboard node) {
        return new RawGraph("http://127.0.0.1:" + node.port());
    }

    /** An application token, good on every node (one issuer, one key set). */
    String token(TestApp app) {
        return tokens.computeIfAbsent(app.id(),
                id -> graph(nodes.get(0)).appToken(app, "https://graph.microsoft.com/.default"));
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) nodes.get(i).close();
        callerEndpoint.close();
        botEndpoint.close();
    }

    static synchronized EmbeddedPostgres server() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return postgres;
    }

    static void admin(String sql) {
        try (Connection connection = server().getPostgresDatabase().getConnection();
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
