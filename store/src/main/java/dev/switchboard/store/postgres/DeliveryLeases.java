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
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who delivers which call's notifications, in the {@code delivery_leases} table: the SQL of
 * {@link PostgresCallStore#claim} and {@link PostgresCallStore#renewClaims}, each run in one short
 * transaction of its own.
 *
 * <p>A claim reads a page of undelivered rows together with their calls' leases and writes only where
 * it must: a call this node already holds is its own without a write, a call another node holds is
 * left alone without touching its lease row, a call with no lease gets one ({@code INSERT … ON CONFLICT
 * DO NOTHING}: two nodes asking at once, one row wins), and a lease that ran out (a dead node's) is
 * taken over with an {@code UPDATE … WHERE until < now} that skips rows another claim is taking. Rows
 * are always locked in call id order — here, in {@link #renew} and when deliveries release leases
 * ({@link PostgresCallWrites}) — so no two of these transactions wait on each other in a circle.
 *
 * <p>Lease transactions commit without waiting for the WAL flush ({@code synchronous_commit off}): a
 * lease lost in a database crash only lets another node send a notification again, which
 * at-least-once delivery allows, and the flush would otherwise sit before every delivery.
 */
final class DeliveryLeases {

    static final String ASYNC_COMMIT = "SET LOCAL synchronous_commit TO OFF";
    static final String SCAN = "SELECT o.seq, o.call_id, o.callback_uri, l.node, l.until FROM outbox o"
            + " LEFT JOIN delivery_leases l ON l.call_id = o.call_id"
            + " WHERE o.delivered_at IS NULL AND o.seq > ? ORDER BY o.seq LIMIT ?";
    static final String GRANT_NEW = "INSERT INTO delivery_leases (call_id, node, until)"
            + " SELECT id, ?, ? FROM unnest(?::text[]) AS asked(id) ORDER BY id"
            + " ON CONFLICT (call_id) DO NOTHING RETURNING call_id";
    static final String TAKE_OVER = "UPDATE delivery_leases SET node = ?, until = ? WHERE call_id IN"
            + " (SELECT call_id FROM delivery_leases WHERE call_id = ANY (?) AND until < ?"
            + " ORDER BY call_id FOR UPDATE SKIP LOCKED) RETURNING call_id";
    static final String GRANTED_ROWS = "SELECT " + CallQueries.NOTIFICATION_COLUMNS + " FROM outbox"
            + " WHERE delivered_at IS NULL AND call_id = ANY (?) ORDER BY seq";
    /** A lease granted for a call whose last row was delivered meanwhile (the scan saw it pending). */
    static final String DROP_IDLE = "DELETE FROM delivery_leases WHERE call_id IN (SELECT call_id"
            + " FROM delivery_leases WHERE call_id = ANY (?) AND node = ? ORDER BY call_id FOR UPDATE)";
    /** Leases that ran out bind nobody; deleting them keeps the table as small as the work in hand. */
    static final String DROP_EXPIRED = "DELETE FROM delivery_leases WHERE call_id IN (SELECT call_id"
            + " FROM delivery_leases WHERE until < ? ORDER BY call_id FOR UPDATE SKIP LOCKED)";
    static final String RENEW = "UPDATE delivery_leases SET until = ? WHERE call_id IN"
            + " (SELECT call_id FROM delivery_leases WHERE node = ? AND call_id = ANY (?) ORDER BY call_id FOR UPDATE)";

    private DeliveryLeases() {}

    static ClaimedNotifications claim(Connection connection, OutboxClaim claim) throws SQLException {
        asyncCommit(connection);
        Set<String> held = new TreeSet<>();
        Set<String> unleased = new TreeSet<>();
        Set<String> lapsed = new TreeSet<>();
        long scannedTo = claim.afterSeq();
        int scanned = 0;
        long now = claim.now().toEpochMilli();
        try (PreparedStatement scan = connection.prepareStatement(SCAN)) {
            scan.setLong(1, claim.afterSeq());
            scan.setInt(2, claim.limit());
            try (ResultSet rows = scan.executeQuery()) {
                while (rows.next()) {
                    scanned++;
                    scannedTo = rows.getLong(1);
                    String callId = rows.getString(2);
                    if (!claim.reaches(rows.getString(3))) continue;
                    String node = rows.getString(4);
                    long until = rows.getLong(5);
                    if (node == null) unleased.add(callId);
                    else if (until < now) lapsed.add(callId);
                    else if (node.equals(claim.node())) held.add(callId);
                }
            }
        }
        boolean more = scanned == claim.limit();
        Set<String> granted = new TreeSet<>(held);
        if (!unleased.isEmpty()) granted.addAll(grant(connection, GRANT_NEW, claim, unleased, false));
        if (!lapsed.isEmpty()) granted.addAll(grant(connection, TAKE_OVER, claim, lapsed, true));
        if (claim.afterSeq() == 0) dropExpired(connection, claim.now());
        if (granted.isEmpty()) return new ClaimedNotifications(List.of(), scannedTo, more);
        List<PendingNotification> notifications = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(GRANTED_ROWS)) {
            select.setArray(1, texts(connection, granted));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) notifications.add(CallQueries.notification(rows));
            }
        }
        Set<String> idle = new TreeSet<>(granted);
        notifications.forEach(n -> idle.remove(n.callId()));
        if (!idle.isEmpty()) dropIdle(connection, claim.node(), idle);
        return new ClaimedNotifications(notifications, scannedTo, more);
    }

    private static List<String> grant(Connection connection, String sql, OutboxClaim claim, Set<String> calls,
                                      boolean takeOver) throws SQLException {
        List<String> granted = new ArrayList<>();
        try (PreparedStatement grant = connection.prepareStatement(sql)) {
            grant.setString(1, claim.node());
            grant.setLong(2, claim.leaseUntil().toEpochMilli());
            grant.setArray(3, texts(connection, calls));
            if (takeOver) grant.setLong(4, claim.now().toEpochMilli());
            try (ResultSet rows = grant.executeQuery()) {
                while (rows.next()) granted.add(rows.getString(1));
            }
        }
        return granted;
    }

    private static void dropIdle(Connection connection, String node, Set<String> calls) throws SQLException {
        try (PreparedStatement drop = connection.prepareStatement(DROP_IDLE)) {
            drop.setArray(1, texts(connection, calls));
            drop.setString(2, node);
            drop.executeUpdate();
        }
    }

    private static void dropExpired(Connection connection, Instant now) throws SQLException {
        try (PreparedStatement drop = connection.prepareStatement(DROP_EXPIRED)) {
            drop.setLong(1, now.toEpochMilli());
            drop.executeUpdate();
        }
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
