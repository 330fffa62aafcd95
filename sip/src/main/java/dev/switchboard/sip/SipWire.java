package dev.switchboard.sip;

import gov.nist.javax.sip.SipStackExt;
import gov.nist.javax.sip.clientauthutils.AccountManager;
import gov.nist.javax.sip.clientauthutils.AuthenticationHelper;
import gov.nist.javax.sip.clientauthutils.UserCredentials;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipProvider;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionUnavailableException;
import javax.sip.message.Request;
import javax.sip.message.Response;

/**
 * The bridge's end of the SIP stack: server transactions for requests, responses, BYEs. Bound once
 * the stack listens, since our Contact needs the port. A failure to send is logged, never thrown: what
 * the network does must not break the handling of a caller. Thread-safe.
 */
final class SipWire {

    private static final Logger log = LoggerFactory.getLogger(SipWire.class);
    // a helper per challenge, dropped after it: nothing worth caching
    private static final int NOT_CACHED = 0;

    private volatile SipProvider provider;
    private volatile SipMessages messages;

    void bind(SipProvider provider, SipMessages messages) {
        this.provider = provider;
        this.messages = messages;
    }

    SipMessages messages() {
        return messages;
    }

    /** The request's server transaction, or null for a retransmission the stack already answers. */
    ServerTransaction transaction(RequestEvent event) {
        if (event.getServerTransaction() != null) return event.getServerTransaction();
        try {
            return provider.getNewServerTransaction(event.getRequest());
        } catch (TransactionAlreadyExistsException retransmission) {
            return null;
        } catch (TransactionUnavailableException e) {
            log.debug("no transaction for {}: {}", event.getRequest().getMethod(), e.toString());
            return null;
        }
    }

    /** Answers a request with a bare status; an ACK is never answered. */
    void reply(RequestEvent event, int status) {
        if (event.getRequest().getMethod().equals(Request.ACK)) return;
        ServerTransaction st = transaction(event);
        if (st != null) send(st, event.getRequest(), status, null);
    }

    void send(ServerTransaction st, Request request, int status, String toTag) {
        try {
            st.sendResponse(messages.response(request, status, toTag));
        } catch (Exception e) {
            log.debug("could not send {} to {}: {}", status, request.getMethod(), e.toString());
        }
    }

    /** A fresh Call-ID for a request the bridge starts. */
    String newCallId() {
        return provider.getNewCallId().getCallId();
    }

    /**
     * Starts a client transaction: an INVITE or REGISTER the bridge sends out.
     *
     * @throws javax.sip.SipException also when the TLS peer was refused ({@link TrunkIdentityPolicy})
     */
    ClientTransaction start(Request request) throws javax.sip.SipException {
        ClientTransaction ct = provider.getNewClientTransaction(request);
        ct.sendRequest();
        return refusedOrSent(ct);
    }

    private static ClientTransaction refusedOrSent(ClientTransaction ct) throws javax.sip.SipException {
        if (ct.getApplicationData() instanceof TrunkIdentityPolicy.Refused refused) {
            ct.terminate();
            throw new javax.sip.SipException(refused.reason());
        }
        return ct;
    }

    /**
     * Sends {@code challenged} again with the credentials the trunk's 401 or 407 asks for, computed by
     * JAIN-SIP's digest helper (RFC 2617, with or without {@code qop=auth}).
     *
     * @return the new INVITE's transaction, sent
     */
    ClientTransaction authenticate(Response challenge, ClientTransaction challenged, SipOutbound.TrunkLogin login,
                                   String domain) throws javax.sip.SipException {
        AccountManager account = (transaction, realm) -> new UserCredentials() {
            @Override public String getUserName() { return login.username(); }
            @Override public String getPassword() { return login.password(); }
            @Override public String getSipDomain() { return domain; }
        };
        AuthenticationHelper helper = ((SipStackExt) provider.getSipStack())
                .getAuthenticationHelper(account, new HeaderFactoryImpl());
        ClientTransaction retry = helper.handleChallenge(challenge, challenged, provider, NOT_CACHED);
        retry.sendRequest();
        return refusedOrSent(retry);
    }

    /** CANCELs an INVITE the bridge sent; false if it could not go out. */
    boolean cancel(ClientTransaction invite, String legId) {
        try {
            provider.getNewClientTransaction(invite.createCancel()).sendRequest();
            return true;
        } catch (Exception e) {
            log.warn("could not send CANCEL for leg {}", legId, e);
            return false;
        }
    }

    /** ACKs a 2xx to an INVITE the bridge sent. */
    void ack(Dialog dialog, long cseq, String legId) {
        try {
            dialog.sendAck(dialog.createAck(cseq));
        } catch (Exception e) {
            log.warn("could not ACK the answer of leg {}", legId, e);
        }
    }

    /** The BYE of a dialog kept in the store, the stack that held it gone with an earlier process. */
    void bye(KeptDialog dialog, String legId) {
        try {
            provider.getNewClientTransaction(messages.bye(dialog)).sendRequest();
        } catch (Exception e) {
            log.warn("could not send BYE for leg {} answered before this start", legId, e);
        }
    }

    void bye(Dialog dialog, String legId) {
        try {
            Request bye = dialog.createRequest(Request.BYE);
            ClientTransaction ct = provider.getNewClientTransaction(bye);
            dialog.sendRequest(ct);
        } catch (Exception e) {
            log.warn("could not send BYE for leg {}", legId, e);
        }
    }
}
