package dev.switchboard.bot;

import java.util.Map;
import java.util.Optional;

/**
 * A change of one of this bot's calls, as a notification reported it.
 *
 * <pre>{@code
 * public void callTerminated(CallEvent e) {
 *     e.resultInfo().ifPresent(r -> log(e.callId() + " ended " + r.code() + "/" + r.subcode()));
 * }
 * }</pre>
 *
 * @param changeType   {@code created}, {@code updated} or {@code deleted}
 * @param state        the call's {@code state}: {@code establishing}, {@code established}, {@code terminated}, …
 * @param resultInfo   how the call ended, when the notification says
 * @param resourceData the call as received, unknown members included
 */
public record CallEvent(String callId, String changeType, String state, Optional<ResultInfo> resultInfo,
                        Map<String, Object> resourceData) {

    /** Graph's {@code resultInfo}: a SIP-like code, a subcode and a message. */
    public record ResultInfo(int code, int subcode, String message) {}
}
