package dev.switchboard.store.sql;

import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.store.Purge;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One step of {@link dev.switchboard.core.store.CallWrites#purge}, the same on both engines: the legs
 * are walked in creation order, a conversation at a time, and one goes whole or not at all.
 */
final class PurgeStep {

    /** {@code (created_at, id)} is an index on both engines, so a step reads only its own legs, unsorted. */
    static final String OLDEST_LEGS = "SELECT id, call_chain_id, created_at FROM calls"
            + " WHERE (created_at, id) > (?, ?) AND created_at < ? ORDER BY created_at, id LIMIT ?";
    /** SQLite's: its one writer runs the step, so nothing changes a conversation between reading and removing it. */
    static final String CHAIN_LEGS = "SELECT id, state, updated_at FROM calls WHERE call_chain_id = ?";
    static final String UNDELIVERED = "SELECT 1 FROM outbox WHERE call_id = ? AND delivered_at IS NULL LIMIT 1";
    static final String DELETE_OUTBOX = "DELETE FROM outbox WHERE call_id = ?";
    static final String DELETE_EVENTS = "DELETE FROM call_events WHERE call_id = ?";
    static final String DELETE_PLACEMENTS = "DELETE FROM placements WHERE call_id = ?";
    static final String DELETE_DIALOG = "DELETE FROM sip_dialogs WHERE call_id = ?";
    static final String DELETE_CALL = "DELETE FROM calls WHERE id = ?";

    private final PreparedStatements statements;
    private final String chainLegs;

    /**
     * @param chainLegs selects {@code id, state, updated_at} of every leg of the conversation named by
     *                  its one parameter; PostgreSQL's locks them, so that two nodes sweeping at once
     *                  take a conversation in turn
     */
    PurgeStep(PreparedStatements statements, String chainLegs) {
        this.statements = statements;
        this.chainLegs = chainLegs;
    }

    Purge run(Instant endedBefore, Optional<Purge.Position> after, int limit) throws SQLException {
        long before = endedBefore.toEpochMilli();
        PreparedStatement oldest = statements.get(OLDEST_LEGS);
        oldest.setLong(1, after.map(p -> p.createdAt().toEpochMilli()).orElse(Long.MIN_VALUE));
        oldest.setString(2, after.map(Purge.Position::callId).orElse(""));
        oldest.setLong(3, before);
        oldest.setInt(4, limit);
        Set<String> chains = new LinkedHashSet<>();
        Purge.Position last = null;
        int seen = 0;
        try (ResultSet rows = oldest.executeQuery()) {
            while (rows.next()) {
                seen++;
                chains.add(rows.getString(2));
                last = new Purge.Position(Instant.ofEpochMilli(rows.getLong(3)), rows.getString(1));
            }
        }
        int removed = 0;
        for (String chain : chains) {
            List<String> legs = endedLegs(chain, before);
            if (legs.isEmpty() || anyUndelivered(legs)) continue;
            for (String leg : legs) remove(leg);
            removed += legs.size();
        }
        return new Purge(removed, seen < limit ? Optional.empty() : Optional.of(last));
    }

    /** Every leg of {@code chain}, if each ended before {@code before}; empty if any did not. */
    private List<String> endedLegs(String chain, long before) throws SQLException {
        PreparedStatement select = statements.get(chainLegs);
        select.setString(1, chain);
        List<String> legs = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                boolean ended = CallState.TERMINATED.wireName().equals(rows.getString(2)) && rows.getLong(3) < before;
                if (!ended) return List.of();
                legs.add(rows.getString(1));
            }
        }
        return legs;
    }

    private boolean anyUndelivered(List<String> legs) throws SQLException {
        PreparedStatement select = statements.get(UNDELIVERED);
        for (String leg : legs) {
            select.setString(1, leg);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) return true;
            }
        }
        return false;
    }

    private void remove(String leg) throws SQLException {
        for (String delete : List.of(DELETE_OUTBOX, DELETE_EVENTS, DELETE_PLACEMENTS, DELETE_DIALOG,
                DELETE_CALL)) {
            PreparedStatement statement = statements.get(delete);
            statement.setString(1, leg);
            statement.executeUpdate();
        }
    }
}
