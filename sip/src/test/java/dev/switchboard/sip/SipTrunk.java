package dev.switchboard.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;

import javax.sip.Dialog;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.address.SipURI;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The far end of bots' outbound calls: a JAIN-SIP user agent server on UDP (or TLS) that the test drives —
 * it records each INVITE the bridge sends and answers only what the test tells it to. A CANCEL gets
 * its 200 and the INVITE its 487, as RFC 3261 9.2 wants.
 */
final class SipTrunk implements SipListener, AutoCloseable {

    static final String ANSWER = "v=0\r\n"
            + "o=trunk 1 1 IN IP4 127.0.0.1\r\n"
            + "s=-\r\n"
            + "c=IN IP4 127.0.0.1\r\n"
            + "t=0 0\r\n"
            + "m=audio 41000 RTP/AVP 0 101\r\n"
            + "a=rtpmap:0 PCMU/8000\r\n"
            + "a=rtpmap:101 telephone-event/8000\r\n";

    private final SipStackImpl stack;
    private final SipProvider provider;
    private final int port;
    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final AddressFactoryImpl addresses = new AddressFactoryImpl();
    private final BlockingQueue<Incoming> invites = new LinkedBlockingQueue<>();
    private final Map<String, Incoming> byCallId = new ConcurrentHashMap<>();

    /** One INVITE from the bridge and what followed it. */
    final class Incoming {
        final Request invite;
        final ServerTransaction st;
        final String toTag = Long.toHexString(ThreadLocalRandom.current().nextLong());
        final List<Request> after = new CopyOnWriteArrayList<>();
        final List<Integer> sent = new CopyOnWriteArrayList<>();

        Incoming(Request invite, ServerTransaction st) {
            this.invite = invite;
            this.st = st;
        }

        String sdp() {
            return new String(invite.getRawContent(), java.nio.charset.StandardCharsets.UTF_8);
        }

        void respond(int status) throws Exception {
            respond(status, null);
        }

        /** @param phrase the reason phrase, or null for the stack's */
        synchronized void respond(int status, String phrase) throws Exception {
            if (status >= 200 && sent.stream().anyMatch(s -> s >= 200)) return;  // one final response only
            Response r = messages.createResponse(status, invite);
            if (phrase != null) r.setReasonPhrase(phrase);
            if (status > 100) ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(toTag);
            if (status >= 200 && status < 300) {
                SipURI contact = addresses.createSipURI("far-end", "127.0.0.1");
                contact.setPort(port);
                r.addHeader(headers.createContactHeader(addresses.createAddress(contact)));
                r.setContent(ANSWER, headers.createContentTypeHeader("application", "sdp"));
            }
            sent.add(status);
            st.sendResponse(r);
        }

        /**
         * A digest challenge, as a trunk that wants credentials answers: 407 with Proxy-Authenticate, or
         * 401 with WWW-Authenticate.
         *
         * @param qop whether the challenge offers {@code qop="auth"}
         */
        synchronized void challenge(int status, String realm, String nonce, boolean qop) throws Exception {
            Response r = messages.createResponse(status, invite);
            ((ToHeader) r.getHeader(ToHeader.NAME)).setTag(toTag);
            WWWAuthenticateHeader challenge = status == Response.PROXY_AUTHENTICATION_REQUIRED
                    ? headers.createProxyAuthenticateHeader("Digest") : headers.createWWWAuthenticateHeader("Digest");
            challenge.setRealm(realm);
            challenge.setNonce(nonce);
            challenge.setAlgorithm("MD5");
            if (qop) challenge.setQop("auth");
            r.addHeader(challenge);
            sent.add(status);
            st.sendResponse(r);
        }

        void bye() throws Exception {
            Dialog dialog = st.getDialog();
            dialog.sendRequest(provider.getNewClientTransaction(dialog.createRequest(Request.BYE)));
        }

        Request awaitRequest(String method) {
            await().until(() -> after.stream().anyMatch(r -> r.getMethod().equals(method)));
            return after.stream().filter(r -> r.getMethod().equals(method)).findFirst().orElseThrow();
        }
    }

    SipTrunk() throws Exception {
        this(null);
    }

    /**
     * A trunk over TLS when {@code identity} is given (it presents that certificate and asks none of
     * the bridge), else over UDP.
     */
    SipTrunk(TestIdentity identity) throws Exception {
        Properties p = TestStacks.peer("trunk");
        if (identity != null) TlsKeyStoreFile.nameStore(p, identity.keyStore(), TestIdentity.PASSWORD);
        // one thread takes the datagrams in the order they came. By default each gets a thread of its
        // own, so a BYE the bridge sends right after its ACK (a 200 that crossed its CANCEL) could end
        // the dialog first, and the stack would drop that ACK before the test could see it
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "1");
        stack = new SipStackImpl(p);
        port = identity != null ? TestStacks.freeTcpPort() : TestStacks.freeUdpPort();
        provider = TestStacks.listen(stack, port, identity != null ? "tls" : "udp", this);
    }

    int port() {
        return port;
    }

    /** The next INVITE the bridge sends. */
    Incoming awaitInvite() throws InterruptedException {
        Incoming in = invites.poll(10, TimeUnit.SECONDS);
        if (in == null) throw new AssertionError("no INVITE reached the trunk");
        return in;
    }

    boolean noInvite() {
        return invites.isEmpty();
    }

    void reset() {
        invites.clear();
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request r = event.getRequest();
        try {
            Incoming in = byCallId.get(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId());
            switch (r.getMethod()) {
                case Request.INVITE -> {
                    ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
                            : provider.getNewServerTransaction(r);
                    Incoming fresh = new Incoming(r, st);
                    byCallId.put(((CallIdHeader) r.getHeader(CallIdHeader.NAME)).getCallId(), fresh);
                    invites.add(fresh);
                }
                case Request.ACK -> {
                    if (in != null) in.after.add(r);
                }
                default -> {
                    if (in != null) in.after.add(r);
                    ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
                            : provider.getNewServerTransaction(r);
                    st.sendResponse(messages.createResponse(200, r));
                    // a CANCEL that crossed our final response changes nothing (RFC 3261 9.2)
                    if (r.getMethod().equals(Request.CANCEL) && in != null && in.sent.stream().allMatch(st0 -> st0 < 200)) {
                        in.respond(487);
                    }
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override public void processResponse(ResponseEvent event) { }
    @Override public void processTimeout(TimeoutEvent event) { }
    @Override public void processIOException(IOExceptionEvent event) { }
    @Override public void processTransactionTerminated(TransactionTerminatedEvent event) { }
    @Override public void processDialogTerminated(DialogTerminatedEvent event) { }

    @Override
    public void close() {
        stack.stop();
    }
}
