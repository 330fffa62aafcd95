package dev.switchboard.sip;

import gov.nist.javax.sip.SipStackImpl;

import javax.sip.SipListener;
import javax.sip.SipProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the tests' own SIP peers (the phone, the trunk, the registrar) set up alike. Their TLS stores are
 * named as the bridge names its own ({@link TlsKeyStoreFile#nameStore}), without the bridge's name check.
 */
final class TestStacks {

    private static final AtomicInteger STACKS = new AtomicInteger();

    private TestStacks() {
    }

    /**
     * A peer's stack properties: a name of its own, the stack's log through SLF4J, and the bridge's
     * linger, which JAIN-SIP keeps in a static shared by every stack in the JVM (not to undo the bridge's).
     */
    static Properties peer(String kind) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "test-" + kind + "-" + STACKS.incrementAndGet());
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", Integer.toString(SipBridge.LINGER_SECONDS));
        return p;
    }

    /** Starts {@code stack} listening on 127.0.0.1:{@code port} over {@code transport}, its requests and responses to {@code listener}. */
    static SipProvider listen(SipStackImpl stack, int port, String transport, SipListener listener) throws Exception {
        SipProvider provider = stack.createSipProvider(stack.createListeningPoint("127.0.0.1", port, transport));
        provider.addSipListener(listener);
        stack.start();
        return provider;
    }

    static int freeUdpPort() {
        try (DatagramSocket free = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static int freeTcpPort() {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return free.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
