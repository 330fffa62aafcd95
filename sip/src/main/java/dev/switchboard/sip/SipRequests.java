package dev.switchboard.sip;

import gov.nist.javax.sip.message.SIPRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.SipListener;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.FromHeader;
import javax.sip.message.Request;
import java.util.Optional;

/**
 * What the SIP stack raises, handed to the class that handles each method. A request whose handling
 * throws still gets an answer (500): nothing that arrives over the network may escape into the stack.
 */
final class SipRequests implements SipListener {

    private static final Logger log = LoggerFactory.getLogger(SipRequests.class);

    private final SipWire wire;
    private final Invites invites;
    private final Cancels cancels;
    private final DialogRequests dialogs;
    private final Callees callees;
    private final Optional<TrunkRegistration> registration;
    private final Optional<TrunkProbe> probe;

    SipRequests(SipWire wire, Invites invites, Cancels cancels, DialogRequests dialogs, Callees callees,
                Optional<TrunkRegistration> registration, Optional<TrunkProbe> probe) {
        this.wire = wire;
        this.invites = invites;
        this.cancels = cancels;
        this.dialogs = dialogs;
        this.callees = callees;
        this.registration = registration;
        this.probe = probe;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request request = event.getRequest();
        try {
            if (!supportedVersion(request)) {
                // the stack parses any SIP/x.y; RFC 3261 8.2 (and RFC 4475 3.1.2.16) want a 505 for it
                wire.reply(event, 505);
                return;
            }
            switch (request.getMethod()) {
                case Request.INVITE: invites.invite(event); break;
                case Request.ACK: dialogs.ack(request); break;
                case Request.CANCEL: cancels.cancel(event); break;
                case Request.BYE:
                    if (!callees.bye(event)) dialogs.bye(event);
                    break;
                // a keep-alive or capability probe: the 200 carries our Allow list
                case Request.OPTIONS: wire.reply(event, 200); break;
                default: wire.reply(event, 405); break;
            }
        } catch (RuntimeException e) {
            log.warn("{} from {} failed", request.getMethod(), request.getHeader(FromHeader.NAME), e);
            wire.reply(event, 500);
        }
    }

    private static boolean supportedVersion(Request request) {
        if (!(request instanceof SIPRequest nist) || nist.getRequestLine() == null) return true;
        String version = nist.getRequestLine().getSipVersion();
        return version == null || version.equalsIgnoreCase("SIP/2.0");
    }

    @Override
    public void processResponse(ResponseEvent event) {
        try {
            // the trunk's answers to our REGISTERs and OPTIONS, the callees' to our INVITEs; to our BYEs, nothing
            if (registration.map(r -> r.response(event)).orElse(false)) return;
            if (probe.map(p -> p.response(event)).orElse(false)) return;
            callees.response(event);
        } catch (RuntimeException e) {
            log.warn("response {} failed", event.getResponse().getStatusCode(), e);
        }
    }

    @Override
    public void processTimeout(TimeoutEvent event) {
        try {
            if (registration.isEmpty() || !registration.get().timeout(event)) callees.timeout(event);
        } catch (RuntimeException e) {
            log.warn("timeout handling failed", e);
        }
    }

    @Override
    public void processIOException(IOExceptionEvent event) {
        log.debug("SIP I/O error towards {}:{} ({})", event.getHost(), event.getPort(), event.getTransport());
    }

    @Override
    public void processTransactionTerminated(TransactionTerminatedEvent event) {
    }

    @Override
    public void processDialogTerminated(DialogTerminatedEvent event) {
        dialogs.terminated(event.getDialog());
    }
}
