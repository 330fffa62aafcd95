package dev.switchboard.sip;

import dev.switchboard.core.calls.ResultInfo;

import java.util.Map;
import java.util.OptionalInt;

/**
 * The SIP final response a caller gets for how its leg ended: the one place that maps Graph outcomes
 * to SIP (the "Reason → SIP" table of the calls contract), with an RFC 3326 {@code Reason} header
 * carrying the Q.850 cause where the table names one.
 *
 * @param q850Cause  the Q.850 cause of the {@code Reason} header, absent for none
 * @param causeText  the {@code text} of that header
 */
public record FinalResponse(int status, String phrase, OptionalInt q850Cause, String causeText) {

    public static final FinalResponse BUSY = new FinalResponse(486, "Busy Here", OptionalInt.of(17), "User busy");
    public static final FinalResponse DECLINED = new FinalResponse(603, "Decline", OptionalInt.of(21), "Call rejected");
    public static final FinalResponse FORBIDDEN = new FinalResponse(403, "Forbidden", OptionalInt.of(21), "Call rejected");
    public static final FinalResponse NO_ANSWER =
            new FinalResponse(480, "Temporarily Unavailable", OptionalInt.of(19), "No answer from user");
    public static final FinalResponse CANCELLED = new FinalResponse(487, "Request Terminated", OptionalInt.empty(), "");
    /** The call ended for a reason the table does not name (a failure): try later. */
    public static final FinalResponse UNAVAILABLE =
            new FinalResponse(480, "Temporarily Unavailable", OptionalInt.empty(), "");

    /**
     * The response for a caller leg that ended before it was answered, from its {@code resultInfo}.
     * The bridge's own hang-up (the caller sent CANCEL) reads as a cancel.
     */
    public static FinalResponse forUnanswered(int code, int subcode) {
        switch (code) {
            case 486: return BUSY;
            case 603: return DECLINED;
            case 403: return FORBIDDEN;
            case 408: return NO_ANSWER;
            case 487: return CANCELLED;
            default:
                return code == ResultInfo.ENDED_BY_APP.code() && subcode == ResultInfo.ENDED_BY_APP.subcode()
                        ? CANCELLED : UNAVAILABLE;
        }
    }

    /**
     * As {@link #forUnanswered(int, int)}, with a route's overrides of the status (see
     * {@link SipRoute#responses()}); the Reason header stays the outcome's.
     */
    public static FinalResponse forUnanswered(int code, int subcode, Map<String, Integer> overrides) {
        FinalResponse mapped = forUnanswered(code, subcode);
        Integer status = overrides.isEmpty() ? null : overrides.get(outcome(mapped));
        return status == null ? mapped : new FinalResponse(status, phrase(status), mapped.q850Cause(), mapped.causeText());
    }

    private static String outcome(FinalResponse r) {
        if (r == BUSY) return "busy";
        if (r == DECLINED) return "none";
        if (r == FORBIDDEN) return "forbidden";
        if (r == NO_ANSWER) return "timeout";
        return "";
    }

    private static String phrase(int status) {
        switch (status) {
            case 403: return "Forbidden";
            case 404: return "Not Found";
            case 408: return "Request Timeout";
            case 410: return "Gone";
            case 480: return "Temporarily Unavailable";
            case 486: return "Busy Here";
            case 488: return "Not Acceptable Here";
            case 500: return "Server Internal Error";
            case 503: return "Service Unavailable";
            case 600: return "Busy Everywhere";
            case 603: return "Decline";
            case 604: return "Does Not Exist Anywhere";
            case 607: return "Unwanted";
            case 608: return "Rejected";
            default: return status < 500 ? "Request Failure" : status < 600 ? "Server Failure" : "Global Failure";
        }
    }
}
