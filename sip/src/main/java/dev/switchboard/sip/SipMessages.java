package dev.switchboard.sip;

import dev.switchboard.core.calls.Party;
import dev.switchboard.core.store.StoreUnavailableException;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;

import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Builds what the bridge sends and reads what it needs from requests; knows SIP, nothing of calls.
 * The one place where the bridge's SIP responses take their shape. Thread-safe.
 */
final class SipMessages {

    static final List<String> ALLOWED = List.of(Request.INVITE, Request.ACK, Request.CANCEL, Request.BYE,
            Request.OPTIONS);

    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();
    private final String contactHost;
    private final int port;
    private final int tlsPort;

    /** @param tlsPort the TLS listener's port, 0 without one */
    SipMessages(String contactHost, int port, int tlsPort) {
        this.contactHost = contactHost;
        this.port = port;
        this.tlsPort = tlsPort;
    }

    /** The host our Contact headers name. */
    String contactHost() {
        return contactHost;
    }

    /**
     * A response with a To tag (all but 100; {@code toTag} null for a fresh one), our Contact where a
     * dialog may form, and an Allow list where the status asks for one.
     */
    Response response(Request request, int status, String toTag) throws ParseException {
        Response r = messages.createResponse(status, request);
        ToHeader to = (ToHeader) r.getHeader(ToHeader.NAME);
        if (status != 100 && to.getTag() == null) to.setTag(toTag != null ? toTag : tag());
        if (request.getMethod().equals(Request.INVITE) && status > 100 && status < 300) {
            r.addHeader(headers.createContactHeader(contact(request)));
        }
        if (status == 405 || (status == 200 && request.getMethod().equals(Request.OPTIONS))) {
            for (String method : ALLOWED) r.addHeader(headers.createAllowHeader(method));
        }
        if (status == 503) {
            // RFC 3261 21.5.4: when to try again; a proxy in front (Kamailio) tries another node meanwhile
            try {
                r.addHeader(headers.createRetryAfterHeader((int) StoreUnavailableException.RETRY_AFTER.toSeconds()));
            } catch (javax.sip.InvalidArgumentException e) {
                throw new IllegalStateException(e);
            }
        }
        r.addHeader(headers.createServerHeader(List.of("Switchboard")));
        return r;
    }

    /** The final failure response of an INVITE, with its RFC 3326 Reason where the outcome has one. */
    Response failure(Request invite, FinalResponse outcome, String toTag) throws ParseException {
        Response r = response(invite, outcome.status(), toTag);
        r.setReasonPhrase(outcome.phrase());
        if (outcome.q850Cause().isPresent()) {
            try {
                r.addHeader(headers.createReasonHeader("Q.850", outcome.q850Cause().getAsInt(), outcome.causeText()));
            } catch (javax.sip.InvalidArgumentException e) {
                throw new ParseException(String.valueOf(e), 0);
            }
        }
        return r;
    }

    /**
     * 302 Moved Temporarily to an INVITE, with one Contact per target in order. A target that is no
     * valid URI is left out; none left is a plain 480.
     */
    Response moved(Request invite, List<String> targets, String toTag) throws ParseException {
        List<Address> contacts = new java.util.ArrayList<>();
        for (String target : targets) {
            try {
                contacts.add(addresses.createAddress(addresses.createURI(target)));
            } catch (ParseException e) {
                // a number or address the bot gave that SIP cannot carry: not a Contact
            }
        }
        if (contacts.isEmpty()) return failure(invite, FinalResponse.UNAVAILABLE, toTag);
        Response r = response(invite, 302, toTag);
        r.setReasonPhrase("Moved Temporarily");
        for (Address contact : contacts) r.addHeader(headers.createContactHeader(contact));
        return r;
    }

    /** 200 OK to an INVITE, carrying SDP. */
    Response ok(Request invite, String toTag, String sdp) throws ParseException {
        Response r = response(invite, 200, toTag);
        r.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        return r;
    }

    /**
     * An INVITE to a party outside Switchboard through the trunk, carrying the bridge's SDP offer: a phone
     * number as {@code sip:<number>@<trunk>;user=phone}, a SIP address as it is with the trunk as a loose
     * route (RFC 3261 16.12) so that it still goes through the trunk.
     */
    Request invite(CalleeAddress callee, SipOutbound trunk, Optional<String> callerName, String callId, String sdp)
            throws ParseException, javax.sip.InvalidArgumentException {
        URI target = addresses.createURI(callee.uri(trunk));
        Address fromAddress = addresses.createAddress(trunk.from());
        callerName.ifPresent(n -> {
            try {
                fromAddress.setDisplayName(n);
            } catch (ParseException e) {
                // a name SIP cannot carry: the call goes without it
            }
        });
        Request r = messages.createRequest(target, Request.INVITE, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(1L, Request.INVITE), headers.createFromHeader(fromAddress, tag()),
                headers.createToHeader(addresses.createAddress(target), null),
                List.of(via(trunk.transport())),
                headers.createMaxForwardsHeader(70));
        if (!callee.isNumber()) {
            r.addHeader(trunkRoute(trunk));
        }
        r.addHeader(headers.createContactHeader(addresses.createAddress(ours("switchboard", trunk.transport()))));
        for (String method : ALLOWED) r.addHeader(headers.createAllowHeader(method));
        r.addHeader(headers.createUserAgentHeader(List.of("Switchboard")));
        r.setContent(sdp, headers.createContentTypeHeader("application", "sdp"));
        return r;
    }

    /**
     * A REGISTER of the trunk's {@code from} address (RFC 3261 10.2): To and From are that address, the
     * Request-URI is its domain, reached through the trunk (a loose route) when the domain is not the
     * trunk itself; the Contact is where the trunk should send calls for it, and Expires how long to keep
     * that ({@code 0} removes it). Every REGISTER of one process shares a Call-ID, with rising CSeq.
     */
    Request register(SipOutbound trunk, String callId, long cseq, Duration expires)
            throws ParseException, javax.sip.InvalidArgumentException {
        Address aor = addresses.createAddress(trunk.from());
        SipURI aorUri = (SipURI) aor.getURI();
        boolean trunkIsRegistrar = aorUri.getHost().equalsIgnoreCase(trunk.host());
        SipURI registrar = trunkIsRegistrar ? trunkUri(trunk) : addresses.createSipURI(null, aorUri.getHost());
        Request r = messages.createRequest(registrar, Request.REGISTER, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(cseq, Request.REGISTER), headers.createFromHeader(aor, tag()),
                headers.createToHeader(addresses.createAddress(trunk.from()), null),
                List.of(via(trunk.transport())),
                headers.createMaxForwardsHeader(70));
        if (!trunkIsRegistrar) {
            r.addHeader(trunkRoute(trunk));
        }
        r.addHeader(headers.createContactHeader(addresses.createAddress(registeredContact(trunk))));
        r.addHeader(headers.createExpiresHeader((int) Math.min(Integer.MAX_VALUE, expires.toSeconds())));
        for (String method : ALLOWED) r.addHeader(headers.createAllowHeader(method));
        r.addHeader(headers.createUserAgentHeader(List.of("Switchboard")));
        return r;
    }

    /** An OPTIONS to the trunk itself: the keep-alive and liveness probe of {@link TrunkProbe}. */
    Request options(SipOutbound trunk, String callId, long cseq) throws ParseException, javax.sip.InvalidArgumentException {
        SipURI target = trunkUri(trunk);
        Request r = messages.createRequest(target, Request.OPTIONS, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(cseq, Request.OPTIONS),
                headers.createFromHeader(addresses.createAddress(trunk.from()), tag()),
                headers.createToHeader(addresses.createAddress(target), null),
                List.of(via(trunk.transport())),
                headers.createMaxForwardsHeader(70));
        r.addHeader(headers.createAcceptHeader("application", "sdp"));
        r.addHeader(headers.createUserAgentHeader(List.of("Switchboard")));
        return r;
    }

    /**
     * The Contact a registration binds the trunk's {@code from} address to: its user part at our
     * address, so calls the trunk sends there carry that user in their Request-URI for the routes.
     */
    SipURI registeredContact(SipOutbound trunk) throws ParseException {
        SipURI aor = (SipURI) addresses.createURI(trunk.from());
        return ours(aor.getUser() == null ? "switchboard" : aor.getUser(), trunk.transport());
    }

    /**
     * The BYE of a dialog the stack no longer holds, built from what was kept of it; loose routing
     * (RFC 3261 16.12): the remote target is the Request-URI, the route set goes in Route headers.
     */
    Request bye(KeptDialog dialog) throws ParseException, javax.sip.InvalidArgumentException {
        Request r = messages.createRequest(addresses.createURI(dialog.remoteTarget()), Request.BYE,
                headers.createCallIdHeader(dialog.callId()),
                headers.createCSeqHeader(dialog.localSeq() + 1, Request.BYE),
                headers.createFromHeader(addresses.createAddress(dialog.localParty()), dialog.localTag()),
                headers.createToHeader(addresses.createAddress(dialog.remoteParty()), dialog.remoteTag()),
                List.of(via(dialog.transport())),
                headers.createMaxForwardsHeader(70));
        for (String route : dialog.routeSet()) r.addHeader(headers.createRouteHeader(addresses.createAddress(route)));
        r.addHeader(headers.createUserAgentHeader(List.of("Switchboard")));
        return r;
    }

    /** How {@code request} came: {@code udp}, {@code tcp} or {@code tls}, from its top Via. */
    static String transport(Request request) {
        ViaHeader via = (ViaHeader) request.getHeader(ViaHeader.NAME);
        return via == null || via.getTransport() == null ? "udp" : via.getTransport().toLowerCase(Locale.ROOT);
    }

    /** Our listener's port for {@code transport}: TLS has its own when one is configured. */
    private int portFor(String transport) {
        return transport.equals("tls") && tlsPort != 0 ? tlsPort : port;
    }

    private Address contact(Request request) throws ParseException {
        // the caller's in-dialog requests come back the way it came, so to the port of that transport
        return addresses.createAddress(ours("switchboard", transport(request)));
    }

    /** {@code user} at our address, on the listener of {@code transport}: what our Contacts name. */
    private SipURI ours(String user, String transport) throws ParseException {
        SipURI uri = addresses.createSipURI(user, contactHost);
        uri.setPort(portFor(transport));
        if (!transport.equals("udp")) uri.setTransportParam(transport);
        return uri;
    }

    /** Our Via for a request sent over {@code transport}. */
    private ViaHeader via(String transport) throws ParseException, javax.sip.InvalidArgumentException {
        return headers.createViaHeader(contactHost, portFor(transport), transport, null);
    }

    /** The trunk itself, {@code sip:host:port}, with its transport unless UDP. */
    private SipURI trunkUri(SipOutbound trunk) throws ParseException {
        SipURI uri = addresses.createSipURI(null, trunk.host());
        uri.setPort(trunk.port());
        if (!trunk.transport().equals("udp")) uri.setTransportParam(trunk.transport());
        return uri;
    }

    /** A loose Route through the trunk (RFC 3261 16.12), for requests whose Request-URI is elsewhere. */
    private RouteHeader trunkRoute(SipOutbound trunk) throws ParseException {
        SipURI uri = trunkUri(trunk);
        uri.setLrParam();
        return headers.createRouteHeader(addresses.createAddress(uri));
    }

    /** Who calls, from the From header (see {@link CallerIdentity}). */
    static Party caller(Request request) {
        Address address = ((FromHeader) request.getHeader(FromHeader.NAME)).getAddress();
        Optional<String> name = Optional.ofNullable(address.getDisplayName());
        URI uri = address.getURI();
        if (uri instanceof TelURL tel) {
            return CallerIdentity.party("tel", (tel.isGlobal() ? "+" : "") + tel.getPhoneNumber(), "", true, name);
        }
        if (uri instanceof SipURI sip) {
            return CallerIdentity.party(sip.getScheme(), sip.getUser() == null ? "" : sip.getUser(), sip.getHost(),
                    "phone".equalsIgnoreCase(sip.getUserParam()), name);
        }
        return CallerIdentity.party("sip", "", uri.toString(), false, name);
    }

    /**
     * The user part with its escapes undone ({@code %2B4930} is {@code +4930}): RFC 3261 19.1.4 compares
     * user parts unescaped, so routes must not depend on how a caller chose to escape.
     */
    static String user(SipURI uri) {
        String user = uri.getUser();
        if (user == null) return "";
        if (user.indexOf('%') < 0) return user;
        ByteArrayOutputStream out = new ByteArrayOutputStream(user.length());
        int i = 0;
        while (i < user.length()) {
            int hi = user.charAt(i) == '%' && i + 2 < user.length() ? Character.digit(user.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(user.charAt(i + 2), 16) : -1;
            if (lo >= 0) {
                out.write(hi * 16 + lo);
                i += 3;
            } else {
                int cp = user.codePointAt(i);
                out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Whether {@code m} belongs to the {@code method} requests the bridge sends under {@code callId}. */
    static boolean belongsTo(Message m, String callId, String method) {
        CallIdHeader id = (CallIdHeader) m.getHeader(CallIdHeader.NAME);
        CSeqHeader cseq = (CSeqHeader) m.getHeader(CSeqHeader.NAME);
        return id != null && cseq != null && id.getCallId().equals(callId) && cseq.getMethod().equals(method);
    }

    /** Call-ID and From tag: what CANCEL, ACK, BYE and an INVITE sent again share with the INVITE. */
    static String key(Request request) {
        String callId = ((CallIdHeader) request.getHeader(CallIdHeader.NAME)).getCallId();
        String fromTag = ((FromHeader) request.getHeader(FromHeader.NAME)).getTag();
        return callId + "/" + (fromTag == null ? "" : fromTag);
    }

    static String tag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }
}
