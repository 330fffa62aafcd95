-- Retention forgets a call's notifications (delivered ones too) and placement keys with it, found
-- by call id; it walks the legs by calls_by_creation, which is (created_at, id) already.
CREATE INDEX outbox_by_call ON outbox (call_id);
CREATE INDEX placements_by_call ON placements (call_id);
