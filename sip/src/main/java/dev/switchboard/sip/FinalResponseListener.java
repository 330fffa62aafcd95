package dev.switchboard.sip;

import java.time.Duration;

/**
 * Hears every final response the bridge sends a caller whose INVITE it took as a call (a 486 for a
 * busy reject, the 200 of an answer, a 487 after CANCEL, a 503 when the call could not be stored...):
 * its status and how long after the INVITE arrived it went out. Called on the thread that sent the
 * response, so it must return at once; what it throws is logged and ignored.
 *
 * <pre>{@code
 * SipBridge sip = new SipBridge(config, directory, actions,
 *         (status, sinceInvite) -> timers.get(status).record(sinceInvite));
 * }</pre>
 */
@FunctionalInterface
public interface FinalResponseListener {

    FinalResponseListener NONE = (status, sinceInvite) -> { };

    void sent(int status, Duration sinceInvite);
}
