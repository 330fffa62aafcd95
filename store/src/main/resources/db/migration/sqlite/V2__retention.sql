-- Retention walks the legs in creation order from where its last step stopped, (created_at, id),
-- and forgets a call's notifications and placement keys with it, found by call id.
DROP INDEX calls_by_creation;
CREATE INDEX calls_by_creation ON calls (created_at, id);
CREATE INDEX outbox_by_call ON outbox (call_id);
CREATE INDEX placements_by_call ON placements (call_id);
