package dev.switchboard.core.calls;

import java.util.Locale;
import java.util.Optional;

/** Why a bot rejects a call: the Graph {@code rejectReason} values a bot may send. */
public enum RejectReason {
    NONE("none", new ResultInfo(603, 0, "Declined")),
    BUSY("busy", new ResultInfo(486, 0, "Busy")),
    FORBIDDEN("forbidden", new ResultInfo(403, 0, "Forbidden"));

    private final String wireName;
    private final ResultInfo result;

    RejectReason(String wireName, ResultInfo result) {
        this.wireName = wireName;
        this.result = result;
    }

    public String wireName() {
        return wireName;
    }

    /** The resultInfo both sides of a call see after it was rejected for this reason. */
    public ResultInfo result() {
        return result;
    }

    /**
     * Reads a reason in any casing ("Busy", "BUSY"); {@code unknownFutureValue} and anything else is
     * not a reason a bot may send, so it is absent.
     */
    public static Optional<RejectReason> parse(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        for (RejectReason r : values()) {
            if (r.wireName.equals(lower)) return Optional.of(r);
        }
        return Optional.empty();
    }
}
