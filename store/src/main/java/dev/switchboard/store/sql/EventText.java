package dev.switchboard.store.sql;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.Notice;
import dev.switchboard.core.calls.ResultInfo;

import java.time.Instant;

/** The wording of timeline entries: read by people troubleshooting a call, so short and greppable. */
public final class EventText {

    public static final String TRANSITION = "transition";
    public static final String NOTIFICATION = "notification";

    private EventText() {
    }

    /** {@code incoming}, or {@code terminated (rejected:busy) 486/0}. */
    public static String transition(Call call) {
        return call.ending().map(ending -> {
            ResultInfo result = ending.result();
            return call.state().wireName() + " (" + ending.code() + ") " + result.code() + "/" + result.subcode();
        }).orElse(call.state().wireName());
    }

    public static String queued(Notice notice, String messageId) {
        return notice.changeType().wireName() + " queued " + messageId + " → " + notice.call().callbackUri();
    }

    public static String delivered(int attempts) {
        return "delivered after " + attempts + (attempts == 1 ? " attempt" : " attempts");
    }

    public static String failed(int attempt, String error, Instant nextAttempt) {
        return "attempt " + attempt + " failed: " + error + "; next at " + nextAttempt;
    }
}
