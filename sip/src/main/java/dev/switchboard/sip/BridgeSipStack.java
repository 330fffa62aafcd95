package dev.switchboard.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.stack.SIPServerTransaction;
import gov.nist.javax.sip.stack.SIPTransaction;

import javax.sip.PeerUnavailableException;
import java.util.Locale;
import java.util.Properties;

import static gov.nist.javax.sip.SIPConstants.BRANCH_MAGIC_COOKIE;

/**
 * JAIN-SIP's stack, finding the INVITE a CANCEL cancels by its branch instead of by comparing the
 * CANCEL with every server transaction the stack holds.
 *
 * <p>The stack keeps a rejected call's transaction for seconds after its final response (Timer I,
 * then its own linger), so at 500 calls/s it holds about seven thousand. Its own search walks all of
 * them for each CANCEL, and callers send CANCELs exactly when the bridge is slow: a caller that
 * gives up cancels. Under overload every CANCEL then cost milliseconds of the one thread that reads
 * UDP, which made the bridge slower still (seen in an overloaded warm-up of the benchmark: 27 % of
 * the server's CPU in that search).
 *
 * <p>RFC 3261 9.2 matches a CANCEL to the INVITE with the same top Via branch and sent-by when the
 * branch starts with the magic cookie; the stack files that INVITE's transaction under the branch,
 * in lower case, so one look-up finds it. The stack's own test of the match is kept. A CANCEL
 * without the cookie (RFC 2543) is matched on several headers and goes to the stack's search.
 */
final class BridgeSipStack extends SipStackImpl {

    BridgeSipStack(Properties properties) throws PeerUnavailableException {
        super(properties);
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
