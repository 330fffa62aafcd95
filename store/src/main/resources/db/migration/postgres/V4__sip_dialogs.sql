-- What a restarted node needs to send the BYE of an answered SIP call: the bridge's own JSON of the
-- dialog (Call-ID, tags, parties, remote target, route set, CSeq). Written once, when the call is
-- answered; removed with its leg by retention.
CREATE TABLE sip_dialogs (
    call_id TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    dialog  TEXT NOT NULL
);
