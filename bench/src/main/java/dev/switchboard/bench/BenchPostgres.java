package dev.switchboard.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The one PostgreSQL of {@code bench/cluster.sh}: a real server (the zonky embedded binaries, so a
 * machine with a JDK and Maven needs nothing else), and the few looks into it the cluster benchmark
 * reports.
 *
 * <pre>
 * BenchPostgres start --data-dir DIR [--port P] [--database switchboard]
 *     starts the server on a fresh DIR, creates the database, prints "ready url=… pid=…" and stays up
 *     until killed (the server stops with this JVM)
 * BenchPostgres waits --url JDBC_URL --seconds S [--every-ms 100] [--after FILE]
 *     samples pg_stat_activity for S seconds: what the nodes' backends were doing (running, or waiting
 *     on which lock or I/O), as shares of the samples; with --after, from when FullLoop's output in
 *     FILE says the warm-up is done (so the JVM is warm before the window and costs nothing in it)
 * BenchPostgres report --url JDBC_URL
 *     the statements that took the server's time (pg_stat_statements, since the last waits), commits
 *     and rollbacks, and the rows left in the tables
 * </pre>
 */
public final class BenchPostgres {

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: BenchPostgres start|waits|report … (see the class comment)");
            System.exit(2);
        }
        Map<String, String> o = FullLoop.options(args);
        switch (args[0]) {
            case "start" -> start(o);
            case "waits" -> waits(o);
            case "report" -> report(o);
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }

    static void start(Map<String, String> o) throws Exception {
        Path dir = Path.of(o.get("data-dir")).toAbsolutePath();
        String database = o.getOrDefault("database", "switchboard");
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(true)
                // the library's default is off; the calls' commits must be durable as in production
                // (the server turns it off itself, per transaction, only for delivery leases)
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("shared_preload_libraries", "pg_stat_statements")
                .setServerConfig("pg_stat_statements.track", "all")
                .setServerConfig("track_io_timing", "on")
                .setServerConfig("track_wal_io_timing", "on")
                // the server's own log, for the deadlocks and long lock waits cluster.sh reports
                .setServerConfig("logging_collector", "on")
                .setServerConfig("log_directory", dir.resolveSibling("pg-log").toString())
                .setServerConfig("log_filename", "postgresql.log")
                .setServerConfig("log_lock_waits", "on")
                .setPGStartupWait(java.time.Duration.ofSeconds(60));
        if (o.containsKey("port")) builder.setPort(Integer.parseInt(o.get("port")));
        EmbeddedPostgres pg = builder.start();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + database);
        }
        String url = "jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/" + database;
        try (Connection c = DriverManager.getConnection(url, "postgres", null); Statement s = c.createStatement()) {
            s.execute("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
            System.out.println("settings: " + row(s, "SELECT current_setting('server_version') AS version,"
                    + " current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS synchronous_commit,"
                    + " current_setting('shared_buffers') AS shared_buffers, current_setting('max_connections') AS max_connections"));
        }
        // the postmaster, whose children are the backends: what cluster.sh samples for PostgreSQL's CPU
        String pid = Files.readAllLines(dir.resolve("postmaster.pid")).get(0).trim();
        System.out.println("ready url=" + url + " pid=" + pid);
        System.out.flush();
        while (true) Thread.sleep(TimeUnit.HOURS.toMillis(1));
    }

    static void waits(Map<String, String> o) throws Exception {
        int seconds = Integer.parseInt(o.get("seconds"));
        int everyMs = Integer.parseInt(o.getOrDefault("every-ms", "100"));
        Map<String, Integer> seen = new TreeMap<>();
        int samples = 0;
        long busy = 0;
        try (Connection c = DriverManager.getConnection(o.get("url"), "postgres", null); Statement s = c.createStatement()) {
            if (o.containsKey("after")) {
                Path out = Path.of(o.get("after"));
                while (!Files.exists(out) || Files.readAllLines(out).stream().noneMatch(l -> l.startsWith("warm-up done"))) {
                    Thread.sleep(50);
                }
            }
            s.execute("SELECT pg_stat_statements_reset()");
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() - end < 0) {
                try (ResultSet r = s.executeQuery("SELECT state, coalesce(wait_event_type, '-') AS type,"
                        + " coalesce(wait_event, '-') AS event FROM pg_stat_activity"
                        + " WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'")) {
                    while (r.next()) {
                        String state = r.getString("state");
                        // idle (in a pool, or between a node's statements) is not work the database holds up
                        if (state == null || state.equals("idle")) continue;
                        String what = state + " " + r.getString("type") + ":" + r.getString("event");
                        seen.merge(what, 1, Integer::sum);
                        busy++;
                    }
                }
                samples++;
                Thread.sleep(everyMs);
            }
        }
        System.out.printf("pg_stat_activity, %d samples every %d ms: on average %.2f of the nodes' backends not idle;"
                + " what they were doing, as a share of those:%n", samples, everyMs, busy / (double) samples);
        final long total = busy;
        seen.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).forEach(e ->
                System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / total, e.getKey()));
    }

    static void report(Map<String, String> o) throws Exception {
        try (Connection c = DriverManager.getConnection(o.get("url"), "postgres", null); Statement s = c.createStatement()) {
            System.out.println("database: " + row(s, "SELECT xact_commit, xact_rollback, deadlocks, blks_read, blks_hit,"
                    + " temp_bytes FROM pg_stat_database WHERE datname = current_database()"));
            System.out.println("WAL: " + row(s, "SELECT wal_records, wal_fpi, pg_size_pretty(wal_bytes) AS wal_bytes,"
                    + " wal_write, wal_sync, round(wal_sync_time::numeric) AS wal_sync_ms FROM pg_stat_wal"));
            // after the drain, anything undelivered, retried or still leased is a delivery that got stuck
            System.out.println("rows: " + row(s, "SELECT (SELECT count(*) FROM calls) AS calls,"
                    + " (SELECT count(*) FROM calls WHERE state <> 'terminated') AS calls_not_terminated,"
                    + " (SELECT count(*) FROM outbox) AS outbox,"
                    + " (SELECT count(*) FROM outbox WHERE delivered_at IS NULL) AS outbox_undelivered,"
                    + " (SELECT count(*) FROM outbox WHERE attempts > 1) AS outbox_retried,"
                    + " (SELECT count(*) FROM delivery_leases) AS delivery_leases,"
                    + " (SELECT count(*) FROM delivery_leases l WHERE NOT EXISTS (SELECT 1 FROM outbox o"
                    + " WHERE o.call_id = l.call_id AND o.delivered_at IS NULL)) AS leases_with_nothing_to_deliver"));
            System.out.println("statements by total time (since the measured window began):");
            System.out.println("   calls  total ms  mean ms  rows  statement");
            try (ResultSet r = s.executeQuery("SELECT calls, round(total_exec_time::numeric) AS total,"
                    + " round(mean_exec_time::numeric, 3) AS mean, rows, regexp_replace(query, '\\s+', ' ', 'g') AS q"
                    + " FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    + " ORDER BY total_exec_time DESC LIMIT 15")) {
                while (r.next()) {
                    String q = r.getString("q");
                    System.out.printf("  %6d %9s %8s %5d  %s%n", r.getLong("calls"), r.getString("total"),
                            r.getString("mean"), r.getLong("rows"), q.length() > 150 ? q.substring(0, 150) + "…" : q);
                }
            }
        }
    }

    private static String row(Statement s, String sql) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            if (!r.next()) return "(none)";
            ResultSetMetaData m = r.getMetaData();
            StringBuilder b = new StringBuilder();
            for (int i = 1; i <= m.getColumnCount(); i++) {
                if (i > 1) b.append(", ");
                b.append(m.getColumnLabel(i)).append('=').append(r.getString(i));
            }
            return b.toString();
        }
    }
}
