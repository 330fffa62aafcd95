package dev.switchboard.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.MessageChannel;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.stack.SIPTransaction;
import gov.nist.javax.sip.stack.SIPTransactionImpl;

import javax.sip.PeerUnavailableException;
import java.util.Locale;
import java.util.Properties;

import static gov.nist.javax.sip.SIPConstants.BRANCH_MAGIC_COOKIE;

/**
 * JAIN-SIP's stack, with two changes for a server that rejects many calls a second: it finds the
 * INVITE a CANCEL cancels by its branch, and it lets go of a rejected INVITE's transaction a second
 * after the ACK instead of five.
 *
 * <p>By default the stack keeps a rejected call's transaction and early dialog for about 13 s after
 * the final response: Timer I (T4, 5 s, counted from the ACK), then its own linger (8 s). At
 * 500 calls/s that is seven thousand of each, with their parsed messages.
 *
 * <p><b>Timer I.</b> Those transactions were about half of the server's live heap, and every young
 * collection copied them: pauses of about 50 ms at the median in the benchmark at 500 calls/s,
 * about 24 ms with Timer I and the linger shortened. Timer I only absorbs ACKs that a caller repeats
 * because a copy of our final response crossed its first ACK, so they come within a round trip of it;
 * {@link #TIMER_I_MILLIS} covers any round trip under a second. A later ACK finds no transaction and
 * reaches the bridge, which ignores an ACK it has no call for, as nothing answers an ACK anyway. A
 * reliable transport has no Timer I. The linger is set where the stack is configured
 * ({@code LINGER_TIMER} in {@link SipBridge}); JAIN-SIP keeps it in a static, so the last stack
 * created in a JVM sets it for all of them.
 *
 * <p><b>CANCEL.</b> The stack's own search walks every server transaction it holds for each
 * CANCEL, and callers send CANCELs exactly when the bridge is slow: a caller that gives up cancels.
 * Under overload every CANCEL then cost milliseconds of the one thread that reads UDP, which made the
 * bridge slower still (seen in an overloaded warm-up of the benchmark: 27 % of the server's CPU in
 * that search). RFC 3261 9.2 matches a CANCEL to the INVITE with the same top Via branch and sent-by
 * when the branch starts with the magic cookie; the stack files that INVITE's transaction under the
 * branch, in lower case, so one look-up finds it. The stack's own test of the match is kept. A
 * CANCEL without the cookie (RFC 2543) is matched on several headers and goes to the stack's search.
 */
final class BridgeSipStack extends SipStackImpl {

    /** Timer I of an INVITE server transaction over UDP: two T1, against the RFC's T4 of 5 s. */
    static final int TIMER_I_MILLIS = 1_000;

    BridgeSipStack(Properties properties) throws PeerUnavailableException {
        super(properties);
    }

    @Override
    public SIPServerTransaction createServerTransaction(MessageChannel channel) {
        SIPServerTransaction transaction = super.createServerTransaction(channel);
        // T4 is only Timer I's length in a server transaction (Timer K, its other use, is a client's)
        if (transaction instanceof SIPTransactionImpl t) t.setTimerT4(TIMER_I_MILLIS);
        return transaction;
    }

    @Override
    public SIPTransaction findCancelTransaction(SIPRequest cancel, boolean isServer) {
        String branch = isServer ? branchWithCookie(cancel) : null;
        if (branch == null) return super.findCancelTransaction(cancel, isServer);
        SIPTransaction invite = findTransaction(branch.toLowerCase(Locale.ROOT), true);
        return invite instanceof SIPServerTransaction server && server.doesCancelMatchTransaction(cancel)
                ? invite : null;
    }

    private static String branchWithCookie(SIPRequest request) {
        Via via = request.getTopmostVia();
        String branch = via == null ? null : via.getBranch();
        return branch != null && branch.regionMatches(true, 0, BRANCH_MAGIC_COOKIE, 0, BRANCH_MAGIC_COOKIE.length()) ? branch : null;
    }
}
