package dev.switchboard.sip;

import gov.nist.javax.sip.header.ContentLength;
import gov.nist.javax.sip.header.Via;
import gov.nist.javax.sip.message.SIPRequest;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.stack.UDPMessageChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.message.Request;
import java.net.InetAddress;
import java.util.Optional;

/**
 * A request without Call-ID, From or To gets 400 Bad Request naming what it lacks (RFC 4475 3.1.2.18
 * asks for one where it can be sent). JAIN-SIP drops such a request after parsing it, and its own
 * automatic 400 needs all of them, so this answers from the parser, the last place that sees the
 * message: statelessly, to the source address and the top Via's port, as RFC 3261 18.2.2 routes a
 * response. A request without CSeq stays dropped: a client matches a response by its Via branch and
 * its CSeq method (RFC 3261 17.1.3), so no answer could reach it. Over UDP only; a
 * connection-oriented caller is still dropped by the stack.
 */
final class MissingHeaders {

    private static final Logger log = LoggerFactory.getLogger(MissingHeaders.class);
    private static final int DEFAULT_PORT = 5060;

    private MissingHeaders() {
    }

    /**
     * The header a request lacks, if an answer saying so could reach the caller: never for an ACK, which
     * is not answered, nor for a request without CSeq.
     */
    static Optional<String> missing(SIPRequest request) {
        if (Request.ACK.equals(request.getMethod()) || request.getCSeq() == null) return Optional.empty();
        if (request.getCallId() == null) return Optional.of("Call-ID");
        if (request.getFrom() == null) return Optional.of("From");
        if (request.getTo() == null) return Optional.of("To");
        return Optional.empty();
    }

    /**
     * Answers {@code request} 400 when it lacks a mandatory header and has a Via; {@code channel} is
     * what the stack hands its parser, the channel the request came in on.
     */
    static void answer(SIPRequest request, ParseExceptionListener channel) {
        Optional<String> header = missing(request);
        if (header.isEmpty() || !(channel instanceof UDPMessageChannel udp)) return;
        Via top = request.getTopmostVia();
        if (top == null) return; // nowhere to send a response
        try {
            SIPResponse response = new SIPResponse();
            response.setStatusCode(400);
            response.setReasonPhrase("Missing " + header.get());
            response.setHeader(request.getViaHeaders());
            if (request.getFrom() != null) response.setFrom(request.getFrom());
            if (request.getTo() != null) response.setTo(request.getTo());
            if (request.getCallId() != null) response.setCallId(request.getCallId());
            response.setCSeq(request.getCSeq());
            response.setContentLength(new ContentLength(0));
            int port = top.getPort() > 0 ? top.getPort() : DEFAULT_PORT;
            udp.sendMessage(response, InetAddress.getByName(udp.getPeerAddress()), port);
        } catch (Exception e) {
            log.debug("could not answer a request missing {}: {}", header.get(), e.toString());
        }
    }
}
