package dev.switchboard.core.calls;

/** How a call ended, as Graph reports it: a SIP-like code, a subcode and a message. */
public record ResultInfo(int code, int subcode, String message) {

    /** The 15-second rule fired: nobody answered, rejected or redirected in time. */
    public static final ResultInfo TIMED_OUT = new ResultInfo(408, 8544, "Callee could not be reached.");
    /** The owner ended the call with DELETE. */
    public static final ResultInfo ENDED_BY_APP = new ResultInfo(200, 7000, "The call was ended by the application.");
    /** The caller gave up before the callee decided. */
    public static final ResultInfo CALLER_CANCELLED = new ResultInfo(487, 0, "The caller cancelled the call.");
    /** The other party of an established call hung up. */
    public static final ResultInfo REMOTE_ENDED = new ResultInfo(200, 5000, "The call was ended by the remote party.");
    /** The callee sent the call elsewhere; its own leg ends here. */
    public static final ResultInfo REDIRECTED = new ResultInfo(302, 0, "The call was redirected.");

    public ResultInfo {
        if (message == null) throw new IllegalArgumentException("message");
    }
}
