package dev.switchboard.store.postgres;

import dev.switchboard.core.store.ClaimedNotifications;
import dev.switchboard.core.store.OutboxClaim;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.store.sql.CallQueries;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who delivers which call's notifications, in the {@code delivery_leases} table: the SQL of
 * {@link PostgresCallStore#claim} and {@link PostgresCallStore#renewClaims}, each run in one short
 * transaction of its own.
 *
 * <p>A claim looks at a page of undelivered rows, asks for the lease of each call it may reach, and
 * is granted those nobody else holds (or whose lease ran out: a dead node's). The lease row is the
 * single-winner point: {@code INSERT … ON CONFLICT DO UPDATE … WHERE} locks the call's row, so two
 * nodes asking at once queue there and the second sees the first's lease. Calls are asked for in id
 * order, so two claims never wait on each other in a circle.
 *
 * <p>Lease transactions commit without waiting for the WAL flush ({@code synchronous_commit off}): a
 * lease lost in a database crash only lets another node send a notification again, which
 * at-least-once delivery allows, and the flush would otherwise sit before every delivery.
 */
final class DeliveryLeases {

    static final String ASYNC_COMMIT = "SET LOCAL synchronous_commit TO OFF";
    static final String SCAN = "SELECT seq, call_id, callback_uri FROM outbox WHERE delivered_at IS NULL AND seq > ?"
            + " ORDER BY seq LIMIT ?";
    static final String GRANT = "INSERT INTO delivery_leases (call_id, node, until)"
            + " SELECT id, ?, ? FROM unnest(?::text[]) AS asked(id) ORDER BY id"
            + " ON CONFLICT (call_id) DO UPDATE SET node = EXCLUDED.node, until = EXCLUDED.until"
            + " WHERE delivery_leases.node = EXCLUDED.node OR delivery_leases.until < ?"
            + " RETURNING call_id";
    static final String GRANTED_ROWS = "SELECT " + CallQueries.NOTIFICATION_COLUMNS + " FROM outbox"
            + " WHERE delivered_at IS NULL AND call_id = ANY (?) ORDER BY seq";
    static final String RENEW = "UPDATE delivery_leases SET until = ? WHERE call_id IN"
            + " (SELECT call_id FROM delivery_leases WHERE node = ? AND call_id = ANY (?) ORDER BY call_id FOR UPDATE)";

    private DeliveryLeases() {}

    static ClaimedNotifications claim(Connection connection, OutboxClaim claim) throws SQLException {
        asyncCommit(connection);
        Set<String> reachable = new LinkedHashSet<>();
        long scannedTo = claim.afterSeq();
        int scanned = 0;
        try (PreparedStatement scan = connection.prepareStatement(SCAN)) {
            scan.setLong(1, claim.afterSeq());
            scan.setInt(2, claim.limit());
            try (ResultSet rows = scan.executeQuery()) {
                while (rows.next()) {
                    scanned++;
                    scannedTo = rows.getLong(1);
                    if (claim.reaches(rows.getString(3))) reachable.add(rows.getString(2));
                }
            }
        }
        boolean more = scanned == claim.limit();
        if (reachable.isEmpty()) return new ClaimedNotifications(List.of(), scannedTo, more);
        List<String> granted = new ArrayList<>();
        try (PreparedStatement grant = connection.prepareStatement(GRANT)) {
            grant.setString(1, claim.node());
            grant.setLong(2, claim.leaseUntil().toEpochMilli());
            grant.setArray(3, texts(connection, reachable));
            grant.setLong(4, claim.now().toEpochMilli());
            try (ResultSet rows = grant.executeQuery()) {
                while (rows.next()) granted.add(rows.getString(1));
            }
        }
        if (granted.isEmpty()) return new ClaimedNotifications(List.of(), scannedTo, more);
        List<PendingNotification> notifications = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(GRANTED_ROWS)) {
            select.setArray(1, texts(connection, granted));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) notifications.add(CallQueries.notification(rows));
            }
        }
        return new ClaimedNotifications(notifications, scannedTo, more);
    }

    static void renew(Connection connection, String node, Collection<String> callIds, Instant until) throws SQLException {
        asyncCommit(connection);
        try (PreparedStatement renew = connection.prepareStatement(RENEW)) {
            renew.setLong(1, until.toEpochMilli());
            renew.setString(2, node);
            renew.setArray(3, texts(connection, callIds));
            renew.executeUpdate();
        }
    }

    private static void asyncCommit(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(ASYNC_COMMIT);
        }
    }

    private static Array texts(Connection connection, Collection<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}
