package dev.switchboard.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.Address;
import javax.sip.address.SipURI;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.ViaHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;


/** A caller: a JAIN-SIP user agent client in the test, on UDP and TCP, talking to the bridge over the wire. */
final class SipPhone implements SipListener, AutoCloseable {

    static final String OFFER = "v=0\r\n"
            + "o=alice 1 1 IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\n"
            + "m=audio 40000 RTP/AVP 8 0 101\r\n"
            + "a=rtpmap:8 PCMA/8000\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n"
            + "a=fmtp:101 0-16\r\n";


    private final SipStackImpl stack;
    private final SipProvider provider;
    private final int port;
    private final int bridgePort;
    private final int bridgeTlsPort;
    private final int tlsPort;
    final MessageFactoryImpl messages = new MessageFactoryImpl();
    final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    final AddressFactoryImpl addresses = new AddressFactoryImpl();
    private final Map<String, Attempt> attempts = new ConcurrentHashMap<>();

    SipPhone(int bridgePort) throws Exception {
        this(bridgePort, 0, null, null);
    }

    /**
     * A phone that can also call over TLS, trusting what {@code trustStore} (PKCS#12) holds.
     *
     * @param bridgeTlsPort the bridge's TLS port, where {@code "tls"} calls go
     */
    SipPhone(int bridgePort, int bridgeTlsPort, Path trustStore, String password) throws Exception {
        this.bridgePort = bridgePort;
        this.bridgeTlsPort = bridgeTlsPort;
        Properties p = TestStacks.peer("phone");
        // one thread, as a phone has: otherwise each message gets a thread of its own, and a 180 and the
        // 486 right behind it could reach the test in either order (the trunk's ACK flake, SipTrunk)
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
        if (trustStore != null) TlsKeyStoreFile.nameStore(p, trustStore, password);  // a phone presents no certificate
        stack = new SipStackImpl(p);
        port = freePort();
        ListeningPoint udp = stack.createListeningPoint("127.0.0.1", port, "udp");
        ListeningPoint tcp = stack.createListeningPoint("127.0.0.1", port, "tcp");
        provider = stack.createSipProvider(udp);
        provider.addListeningPoint(tcp);
        if (trustStore != null) {
            tlsPort = TestStacks.freeTcpPort();
            provider.addListeningPoint(stack.createListeningPoint("127.0.0.1", tlsPort, "tls"));
        } else {
            tlsPort = 0;
        }
        provider.addSipListener(this);
        stack.start();
    }

    /** One INVITE and everything that follows it in its dialog. */
    final class Attempt {
        final String callId;
        final String fromTag;
        final long cseq;
        final ClientTransaction invite;
        final List<Response> responses = new CopyOnWriteArrayList<>();
        final List<Request> requests = new CopyOnWriteArrayList<>();
        volatile Dialog dialog;

        Attempt(String callId, String fromTag, long cseq, ClientTransaction invite) {
            this.callId = callId;
            this.fromTag = fromTag;
            this.cseq = cseq;
            this.invite = invite;
        }

        Response await(String method, int status) {
            org.awaitility.Awaitility.await().until(() -> find(method, status).isPresent());
            return find(method, status).orElseThrow();
        }

        Response awaitInvite(int status) {
            return await(Request.INVITE, status);
        }

        /** The first final response to the INVITE. */
        Response awaitFinal() {
            return awaitFinal(Duration.ofSeconds(10));
        }

        /** The first final response to the INVITE, waiting at most {@code patience} for it. */
        Response awaitFinal(Duration patience) {
            org.awaitility.Awaitility.await().atMost(patience)
                    .until(() -> responses.stream().anyMatch(r -> method(r).equals(Request.INVITE) && r.getStatusCode() >= 200));
            return responses.stream().filter(r -> method(r).equals(Request.INVITE) && r.getStatusCode() >= 200)
                    .findFirst().orElseThrow();
        }

        Optional<Response> find(String method, int status) {
            return responses.stream().filter(r -> method(r).equals(method) && r.getStatusCode() == status).findFirst();
        }

        List<Integer> statuses() {
            return responses.stream().filter(r -> method(r).equals(Request.INVITE)).map(Response::getStatusCode).toList();
        }

        void cancel() throws Exception {
            provider.getNewClientTransaction(invite.createCancel()).sendRequest();
        }

        void ack(Response ok) throws Exception {
            Request ack = dialog.createAck(((CSeqHeader) ok.getHeader(CSeqHeader.NAME)).getSeqNumber());
            dialog.sendAck(ack);
        }

        void bye() throws Exception {
            Request bye = dialog.createRequest(Request.BYE);
            dialog.sendRequest(provider.getNewClientTransaction(bye));
        }

        Request awaitRequest(String method) {
            org.awaitility.Awaitility.await().until(() -> requests.stream().anyMatch(r -> r.getMethod().equals(method)));
            return requests.stream().filter(r -> r.getMethod().equals(method)).findFirst().orElseThrow();
        }
    }

    Attempt call(String toUser) throws Exception {
        return call(toUser, "sip:+4930123456@trunk.example.com", "Alice Caller", "udp", Optional.of(OFFER));
    }

    Attempt call(String toUser, String from, String displayName, String transport, Optional<String> sdp) throws Exception {
        return send(toUser, from, displayName, transport, sdp, provider.getNewCallId().getCallId(), tag(), 1, r -> { });
    }

    /** A call whose INVITE {@code tweak} changes before it is sent (headers, Contact parameters). */
    Attempt call(String toUser, Tweak tweak) throws Exception {
        return send(toUser, "sip:+4930123456@trunk.example.com", "Alice Caller", "udp", Optional.of(OFFER),
                provider.getNewCallId().getCallId(), tag(), 1, tweak);
    }

    /** Changes an INVITE before it goes out. */
    interface Tweak {
        void apply(Request invite) throws Exception;
    }

    /** The same INVITE again as a new transaction (new branch, next CSeq): what a caller re-sends after a restart. */
    Attempt again(Attempt earlier, String toUser) throws Exception {
        return send(toUser, "sip:+4930123456@trunk.example.com", "Alice Caller", "udp", Optional.of(OFFER),
                earlier.callId, earlier.fromTag, earlier.cseq + 1, r -> { });
    }

    private Attempt send(String toUser, String from, String displayName, String transport, Optional<String> sdp,
                         String callId, String fromTag, long cseq, Tweak tweak) throws Exception {
        boolean tls = transport.equals("tls");
        SipURI target = addresses.createSipURI(toUser, "127.0.0.1");
        target.setPort(tls ? bridgeTlsPort : bridgePort);
        if (!transport.equals("udp")) target.setTransportParam(transport);
        int ourPort = tls ? tlsPort : port;
        Address fromAddress = addresses.createAddress(from);
        if (displayName != null) fromAddress.setDisplayName(displayName);
        FromHeader fromHeader = headers.createFromHeader(fromAddress, fromTag);
        ToHeader to = headers.createToHeader(addresses.createAddress(target), null);
        CallIdHeader callIdHeader = headers.createCallIdHeader(callId);
        ViaHeader via = headers.createViaHeader("127.0.0.1", ourPort, transport, null);
        Request invite = messages.createRequest(target, Request.INVITE, callIdHeader,
                headers.createCSeqHeader(cseq, Request.INVITE), fromHeader, to, List.of(via),
                headers.createMaxForwardsHeader(70));
        SipURI contact = addresses.createSipURI("alice", "127.0.0.1");
        contact.setPort(ourPort);
        if (!transport.equals("udp")) contact.setTransportParam(transport);
        invite.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
        if (sdp.isPresent()) invite.setContent(sdp.get(), headers.createContentTypeHeader("application", "sdp"));
        tweak.apply(invite);
        ClientTransaction ct = provider.getNewClientTransaction(invite);
        Attempt attempt = new Attempt(callId, fromTag, cseq, ct);
        attempts.put(callId + "/" + cseq, attempt);
        ct.sendRequest();
        return attempt;
    }

    /** Sends an out-of-dialog request such as OPTIONS; the responses land on the returned attempt. */
    Attempt request(String method, String toUser) throws Exception {
        SipURI target = addresses.createSipURI(toUser, "127.0.0.1");
        target.setPort(bridgePort);
        String callId = provider.getNewCallId().getCallId();
        Request r = messages.createRequest(target, method, headers.createCallIdHeader(callId),
                headers.createCSeqHeader(1L, method), headers.createFromHeader(addresses.createAddress("sip:alice@example.com"), tag()),
                headers.createToHeader(addresses.createAddress(target), null),
                List.of(headers.createViaHeader("127.0.0.1", port, "udp", null)), headers.createMaxForwardsHeader(70));
        ClientTransaction ct = provider.getNewClientTransaction(r);
        Attempt attempt = new Attempt(callId, "", 1, ct);
        attempts.put(callId + "/1", attempt);
        ct.sendRequest();
        return attempt;
    }

    @Override
    public void processResponse(ResponseEvent event) {
        Response r = event.getResponse();
        Attempt a = attemptOf(r.getHeader(CallIdHeader.NAME), (CSeqHeader) r.getHeader(CSeqHeader.NAME));
        if (a == null) return;
        if (event.getDialog() != null && method(r).equals(Request.INVITE) && r.getStatusCode() == 200) a.dialog = event.getDialog();
        a.responses.add(r);
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request r = event.getRequest();
        try {
            String callId = ((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId();
            attempts.values().stream().filter(a -> a.callId.equals(callId)).findFirst().ifPresent(a -> a.requests.add(r));
            if (r.getMethod().equals(Request.ACK)) return;
            ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
                    : provider.getNewServerTransaction(r);
            st.sendResponse(messages.createResponse(200, r));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private Attempt attemptOf(Object callIdHeader, CSeqHeader cseq) {
        String callId = ((CallIdHeader) callIdHeader).getCallId();
        Attempt byCseq = attempts.get(callId + "/" + cseq.getSeqNumber());
        if (byCseq != null) return byCseq;
        // a CANCEL shares the INVITE's CSeq number; a BYE in the dialog has its own
        return attempts.values().stream().filter(a -> a.callId.equals(callId)).findFirst().orElse(null);
    }

    static String method(Response r) {
        return ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod();
    }

    @Override public void processTimeout(TimeoutEvent event) { }
    @Override public void processIOException(IOExceptionEvent event) { }
    @Override public void processTransactionTerminated(TransactionTerminatedEvent event) { }
    @Override public void processDialogTerminated(DialogTerminatedEvent event) { }

    @Override
    public void close() {
        try {
            stack.stop();
        } catch (NullPointerException e) {
            // JAIN-SIP's UDP processor throws this when it is stopped before its thread first ran (a
            // harness closed right after it opened); the stack is down either way
        }
    }

    private static String tag() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    private static int freePort() throws Exception {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                 ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, java.net.InetAddress.getByName("127.0.0.1"))) {
                return tcp.getLocalPort();
            } catch (java.io.IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port");
    }
}
