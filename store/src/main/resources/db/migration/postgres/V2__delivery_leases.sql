-- Cluster delivery: a call's notifications are sent by one node at a time, the `node` named here,
-- until `until` (epoch ms, the node's clock). A row goes when the call has nothing left to deliver;
-- a node that dies leaves its rows to run out, and another node's claim then takes them over.
CREATE TABLE delivery_leases (
    call_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    node    TEXT   NOT NULL,
    until   BIGINT NOT NULL
);

-- A node that is granted a call reads all of its undelivered rows, the oldest first.
CREATE INDEX outbox_pending_by_call ON outbox (call_id, seq) WHERE delivered_at IS NULL;
