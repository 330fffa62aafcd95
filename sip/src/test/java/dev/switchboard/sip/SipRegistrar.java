package dev.switchboard.sip;

import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.ContactHeader;
import javax.sip.header.ExpiresHeader;
import javax.sip.header.ToHeader;
import javax.sip.header.WWWAuthenticateHeader;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A trunk's registrar (RFC 3261 10.3) on UDP that the test drives: it records each REGISTER the bridge
 * sends and answers only what the test tells it to.
 */
final class SipRegistrar implements SipListener, AutoCloseable {

    private final SipStackImpl stack;
    private final SipProvider provider;
    private final int port;
    private final MessageFactoryImpl messages = new MessageFactoryImpl();
    private final HeaderFactoryImpl headers = new HeaderFactoryImpl();
    private final BlockingQueue<Register> registers = new LinkedBlockingQueue<>();
    private volatile boolean grantingRemovals;
    private volatile boolean deaf;
    /** Every request other than REGISTER, in order; each got 405, or nothing while deaf (then retransmissions too). */
    final List<Request> others = new CopyOnWriteArrayList<>();

    /** One REGISTER from the bridge. */
    final class Register {
        final Request request;
        private final ServerTransaction st;

        Register(Request request, ServerTransaction st) {
            this.request = request;
            this.st = st;
        }

        int expires() {
            return ((ExpiresHeader) request.getHeader(ExpiresHeader.NAME)).getExpires();
        }

        ContactHeader contact() {
            return (ContactHeader) request.getHeader(ContactHeader.NAME);
        }

        /** 200 OK listing the bridge's Contact with what this registrar grants it. */
        void grant(Duration kept) throws Exception {
            Response ok = response(200);
            ContactHeader contact = (ContactHeader) contact().clone();
            contact.setExpires((int) kept.toSeconds());
            ok.addHeader(contact);
            st.sendResponse(ok);
        }

        void respond(int status) throws Exception {
            st.sendResponse(response(status));
        }

        /** 423 Interval Too Brief, with the shortest registration this registrar keeps. */
        void tooBrief(Duration least) throws Exception {
            Response r = response(Response.INTERVAL_TOO_BRIEF);
            r.addHeader(headers.createMinExpiresHeader((int) least.toSeconds()));
            st.sendResponse(r);
        }

        /** 401 with a digest challenge, as a registrar that wants credentials answers. */
        void challenge(String realm, String nonce) throws Exception {
            Response r = response(Response.UNAUTHORIZED);
            WWWAuthenticateHeader challenge = headers.createWWWAuthenticateHeader("Digest");
            challenge.setRealm(realm);
            challenge.setNonce(nonce);
            challenge.setAlgorithm("MD5");
            challenge.setQop("auth");
            r.addHeader(challenge);
            st.sendResponse(r);
        }

        private Response response(int status) throws Exception {
            Response r = messages.createResponse(status, request);
            ((ToHeader) r.getHeader(ToHeader.NAME)).setTag("registrar");
            return r;
        }
    }

    SipRegistrar() throws Exception {
        stack = new SipStackImpl(TestStacks.peer("registrar"));
        port = TestStacks.freeUdpPort();
        provider = TestStacks.listen(stack, port, "udp", this);
    }

    int port() {
        return port;
    }

    /** The next REGISTER the bridge sends. */
    Register awaitRegister() throws InterruptedException {
        Register r = registers.poll(10, TimeUnit.SECONDS);
        if (r == null) throw new AssertionError("no REGISTER reached the registrar");
        return r;
    }

    /** Whether a REGISTER comes within {@code wait}, for what must not come: it takes that long to say no. */
    boolean registerWithin(Duration wait) throws InterruptedException {
        return registers.poll(wait.toMillis(), TimeUnit.MILLISECONDS) != null;
    }

    /** While deaf, every request is dropped unanswered, as by a trunk that is down. */
    void deaf(boolean deaf) {
        this.deaf = deaf;
    }

    /** From now on, a REGISTER that removes a binding (Expires 0) gets its 200 without the test. */
    void grantRemovals() {
        grantingRemovals = true;
    }

    @Override
    public void processRequest(RequestEvent event) {
        Request r = event.getRequest();
        if (deaf) {
            if (!r.getMethod().equals(Request.REGISTER)) others.add(r);  // each retransmission again
            return;
        }
        try {
            ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
                    : provider.getNewServerTransaction(r);
            if (r.getMethod().equals(Request.REGISTER)) {
                Register register = new Register(r, st);
                if (grantingRemovals && register.expires() == 0) register.grant(Duration.ZERO);
                else registers.add(register);
            } else {
                others.add(r);
                st.sendResponse(messages.createResponse(Response.METHOD_NOT_ALLOWED, r));
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
