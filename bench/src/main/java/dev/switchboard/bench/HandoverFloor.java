package dev.switchboard.bench;

import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipFactory;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.SipStack;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.header.HeaderFactory;
import javax.sip.header.ToHeader;
import javax.sip.message.MessageFactory;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * What the SIP stack and thread hand-overs alone cost the tail, with nothing of Switchboard: JAIN-SIP,
 * set up as the bridge sets it up, answers each INVITE with 100 and then 486 (Reason Q.850 cause 17)
 * after the call has crossed {@code hops} executors, each burning {@code burnUs} µs of CPU (spinning,
 * as real work would use the core). No store, no HTTP, no bot. {@code bench/handover-floor.sh} runs it
 * under sipp's load: the same work per call split over 15 hops or 3, or done where the stack delivered
 * the INVITE, shows what the shape of the path does to p99 on this machine.
 *
 * <pre>{@code
 * java -Dhops=15 -DburnUs=100 -Dport=5070 -cp ... dev.switchboard.bench.HandoverFloor
 * }</pre>
 * System properties: {@code port} [5070], {@code hops} [0], {@code burnUs} [0], {@code perHop} threads per
 * hop's executor [1], {@code shared} N: every hop uses one pool of N threads instead [0 = off].
 */
public final class HandoverFloor implements SipListener {

    private final SipProvider provider;
    private final MessageFactory messages;
    private final HeaderFactory headers;
    private final ExecutorService[] hops;
    private final long burnNanos;

    private HandoverFloor(SipProvider provider, MessageFactory messages, HeaderFactory headers, ExecutorService[] hops,
                          long burnNanos) {
        this.provider = provider;
        this.messages = messages;
        this.headers = headers;
        this.hops = hops;
        this.burnNanos = burnNanos;
    }

    public static void main(String[] args) throws Exception {
        int hopCount = Integer.getInteger("hops", 0);
        int shared = Integer.getInteger("shared", 0);
        SipFactory factory = SipFactory.getInstance();
        SipProvider provider = listen(factory, "handover-floor", Integer.getInteger("port", 5070));
        ExecutorService one = shared > 0 ? Executors.newFixedThreadPool(shared) : null;
        ExecutorService[] hops = new ExecutorService[hopCount];
        for (int i = 0; i < hopCount; i++) {
            hops[i] = one != null ? one : Executors.newFixedThreadPool(Integer.getInteger("perHop", 1));
        }
        provider.addSipListener(new HandoverFloor(provider, factory.createMessageFactory(),
                factory.createHeaderFactory(), hops, Long.getLong("burnUs", 0) * 1_000));
        System.out.printf("ready: %d hops, %d us each%s%n", hopCount, Long.getLong("burnUs", 0),
                shared > 0 ? ", one pool of " + shared : "");
        Thread.currentThread().join();
    }

    /** JAIN-SIP on 127.0.0.1:{@code port} over UDP, set up as {@code SipBridge} sets it up (also {@link BotFloor}'s). */
    static SipProvider listen(SipFactory factory, String name, int port) throws Exception {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", name);
        // as SipBridge: 16 workers, re-entrant listener, 1 s linger
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "16");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", "1");
        factory.setPathName("gov.nist");
        SipStack stack = factory.createSipStack(p);
        return stack.createSipProvider(stack.createListeningPoint("127.0.0.1", port, "udp"));
    }

    /**
     * An INVITE's server transaction, once 100 Trying has gone out; empty for any other request (the
     * ACK of the 486 is the stack's). Also {@link BotFloor}'s.
     */
    static Optional<ServerTransaction> trying(SipProvider provider, MessageFactory messages, RequestEvent event)
            throws Exception {
        Request invite = event.getRequest();
        if (!invite.getMethod().equals(Request.INVITE)) return Optional.empty();
        ServerTransaction st = event.getServerTransaction() != null ? event.getServerTransaction()
                : provider.getNewServerTransaction(invite);
        st.sendResponse(messages.createResponse(100, invite));
        return Optional.of(st);
    }

    @Override
    public void processRequest(RequestEvent event) {
        try {
            trying(provider, messages, event).ifPresent(st -> hop(0, () -> busy(st, event.getRequest())));
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    private void hop(int i, Runnable last) {
        if (i == hops.length) {
            burn();
            last.run();
        } else {
            hops[i].execute(() -> {
                burn();
                hop(i + 1, last);
            });
        }
    }

    private void burn() {
        long end = System.nanoTime() + burnNanos;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }

    private void busy(ServerTransaction st, Request invite) {
        try {
            Response busy = messages.createResponse(486, invite);
            ((ToHeader) busy.getHeader(ToHeader.NAME)).setTag(Long.toHexString(System.nanoTime()));
            busy.addHeader(headers.createReasonHeader("Q.850", 17, "User busy"));
            st.sendResponse(busy);
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    @Override public void processResponse(ResponseEvent event) { }
    @Override public void processTimeout(TimeoutEvent event) { }
    @Override public void processIOException(IOExceptionEvent event) { }
    @Override public void processTransactionTerminated(TransactionTerminatedEvent event) { }
    @Override public void processDialogTerminated(DialogTerminatedEvent event) { }
}
