package dev.switchboard.sip;

import dev.switchboard.core.apps.App;
import dev.switchboard.core.apps.Directory;
import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.Gateway;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.time.Clock;
import dev.switchboard.notify.DeliveryListener;
import dev.switchboard.notify.LocalDelivery;
import gov.nist.javax.sip.SipStackImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The SIP user agent server: an INVITE that matches a route becomes a call placed by the bridge (an
 * outgoing leg owned by {@link #APP_ID} whose callbackUri is {@code switchboard-sip://<nodeId>}), offered
 * to the routed app; the caller leg's notifications come back through the outbox as a
 * {@link LocalDelivery} and become the SIP final response (see {@link FinalResponse}), a 200 OK with an
 * SDP answer, or a BYE. CANCEL and BYE from the caller are hang-ups of the caller leg. 180 Ringing goes
 * out when the callee's {@code created} notification has been delivered (this is a
 * {@link DeliveryListener} too).
 *
 * <p>Wiring (the dispatcher needs the bridge, the bridge only the actions):
 * <pre>{@code
 * SipBridge sip = new SipBridge(sipConfig, directory, actions);
 * Dispatcher d = new Dispatcher(store, keys::current, clock, config, DeliveryListener.all(metrics, sip),
 *         Map.of(SipBridge.SCHEME, sip));
 * d.start();
 * sip.start();
 * }</pre>
 *
 * <p>The other way round, a bot's call to a phone number or SIP address is offered to the bridge
 * ({@link #gateway()}): {@link Callees} sends the INVITE through the configured trunk and turns what the
 * callee answers into commands on that offered leg. Towards that trunk the bridge can also register
 * ({@link TrunkRegistration}) and ask OPTIONS ({@link TrunkProbe}); see {@link #trunkRegistered()} and
 * {@link #trunkUp()}.
 *
 * <p>This class only wires the stack to the parts: {@link SipRequests} hands each request method to
 * its handler ({@link Invites}, {@link Cancels}, {@link DialogRequests}), {@link CallerLegNotifications}
 * turns the outbox's notifications into what the caller sees ({@link CallerSide}), and {@link SipLegs}
 * tells all of them which leg a message is about.
 *
 * <p>Never throws on what arrives over the network: every request gets an answer or is absorbed by the
 * stack's transaction layer (retransmissions). Thread-safe.
 */
public final class SipBridge implements LocalDelivery, DeliveryListener, AutoCloseable {

    /** Owner of the caller legs of SIP calls. Reserved: register no app under this id. */
    public static final String APP_ID = "switchboard-sip-bridge";
    /** The callbackUri scheme of those legs, delivered in-process. */
    public static final String SCHEME = "switchboard-sip";

    private static final Logger log = LoggerFactory.getLogger(SipBridge.class);
    private static final AtomicInteger STACKS = new AtomicInteger();
    private static final int BIND_ATTEMPTS = 5;
    /** The largest SIP message accepted, over any transport. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024;
    static final int LINGER_SECONDS = 1;

    private final CallActions actions;
    private final SipConfig config;
    // the store's completions and ringing run here, never on the stack's or the dispatcher's threads
    private final ExecutorService reactions;
    private final SipLegs legs = new SipLegs();
    private final SipWire wire = new SipWire();
    private final KeptDialogs dialogs;
    private final CallerLegNotifications notifications;
    private final SipRequests requests;
    private final Callees callees;
    private final Optional<TrunkRegistration> registration;
    private final Optional<TrunkProbe> probe;

    private volatile SipStackImpl stack; // read by the held* gauges without the monitor
    private int port;
    private int tlsPort;

    /**
     * @throws IllegalArgumentException if a route names an app the directory lacks, or one without a
     *                                  callbackUri
     */
    public SipBridge(SipConfig config, Directory directory, CallActions actions) {
        this(config, directory, actions, FinalResponseListener.NONE);
    }

    /**
     * @param finalResponses hears the final response of every INVITE that became a call
     * @throws IllegalArgumentException if a route names an app the directory lacks, or one without a
     *                                  callbackUri
     */
    public SipBridge(SipConfig config, Directory directory, CallActions actions, FinalResponseListener finalResponses) {
        this(config, directory, actions, finalResponses, Clock.system());
    }

    /**
     * @param finalResponses hears the final response of every INVITE that became a call
     * @param clock          when the trunk registration is refreshed and tried again
     * @throws IllegalArgumentException if a route names an app the directory lacks, or one without a
     *                                  callbackUri
     */
    public SipBridge(SipConfig config, Directory directory, CallActions actions, FinalResponseListener finalResponses,
                     Clock clock) {
        this.config = config;
        this.actions = actions;
        this.dialogs = new KeptDialogs(actions);
        for (SipRoute r : config.routes()) {
            App app = directory.app(r.tenantId(), r.appId()).orElseThrow(() -> new IllegalArgumentException(
                    "sip route '" + r.match() + "' names app '" + r.appId() + "' of tenant '" + r.tenantId()
                            + "', which is not registered"));
            if (app.callbackUri().isEmpty()) {
                throw new IllegalArgumentException("sip route '" + r.match() + "' names app '" + r.appId()
                        + "', which has no callbackUri");
            }
        }
        AtomicInteger threads = new AtomicInteger();
        this.reactions = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "switchboard-sip-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        CallerSide caller = new CallerSide(config, wire, Objects.requireNonNull(finalResponses, "finalResponses"), dialogs);
        CallerHangups hangups = new CallerHangups(actions, caller, reactions);
        this.notifications = new CallerLegNotifications(callbackUri(), legs, caller, reactions);
        this.callees = new Callees(config, actions, wire, reactions, callbackUri(), dialogs);
        this.registration = config.outbound().filter(t -> t.register().isPresent())
                .map(t -> new TrunkRegistration(t, wire, clock));
        this.probe = config.outbound().flatMap(t -> t.keepAlive().map(every -> new TrunkProbe(t, every, wire, clock)));
        this.requests = new SipRequests(wire,
                new Invites(config, directory, actions, callbackUri(), legs, wire, caller, notifications, hangups, reactions,
                        finalResponses),
                new Cancels(legs, wire, hangups),
                new DialogRequests(legs, wire, caller, hangups), callees, registration, probe);
    }

    /**
     * Listens on UDP and TCP, and on TLS when configured. A port the bridge chose itself can be taken
     * by another process between choosing and binding it; then it tries another, a few times.
     */
    public synchronized SipBridge start() {
        if (stack != null) throw new IllegalStateException("already started");
        // ended before the stack listens, so an INVITE sent again meanwhile finds them over; BYEs need the stack
        List<RestartedLegs.Bye> byes = RestartedLegs.end(actions, dialogs, callbackUri());
        for (int attempt = 1; ; attempt++) {
            try {
                listen(config.port() != 0 ? config.port() : freePort(config.host()));
                break;
            } catch (Exception e) {
                IllegalStateException failure = new IllegalStateException(
                        "cannot listen for SIP on " + config.host() + ":" + config.port(), e);
                discardStack(failure);
                if (config.port() != 0 || attempt == BIND_ATTEMPTS) throw failure;
                log.debug("a port chosen for SIP was taken before it was bound; trying another", e);
            }
        }
        byes.forEach(bye -> wire.bye(bye.dialog(), bye.legId()));
        registration.ifPresent(TrunkRegistration::start);
        probe.ifPresent(TrunkProbe::start);
        log.info("SIP on {}:{} (udp, tcp){}, {} route(s), {}", config.host(), port,
                config.tls().isPresent() ? ", TLS on " + tlsPort : "", config.routes().size(),
                config.outbound().map(t -> "outbound calls via " + t.host() + ":" + t.port() + " (" + t.transport() + ")")
                        .orElse("no outbound trunk"));
        return this;
    }

    private void listen(int port) throws Exception {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "switchboard-sip-" + config.nodeId() + "-" + STACKS.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "16");
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", "gov.nist.javax.sip.stack.timers.ScheduledExecutorSipTimer");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        // Seconds a terminated transaction or dialog stays findable, to absorb late copies of what
        // ended it: 8 by default. Copies come within a round trip; see BridgeSipStack for the cost.
        p.setProperty("gov.nist.javax.sip.LINGER_TIMER", Integer.toString(LINGER_SECONDS));
        // The stack allocates this much for every UDP datagram it receives: 64 KiB was a third of all
        // the server's allocation under load. 16 KiB is far above what RFC 3261 lets a sender put in
        // one UDP datagram (about 1300 bytes; anything larger should go over TCP).
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", Integer.toString(MAX_MESSAGE_BYTES));
        p.setProperty("gov.nist.javax.sip.MESSAGE_PARSER_FACTORY", BridgeParserFactory.class.getName());
        Optional<TlsKeyStoreFile> keyStore = config.tls().map(t -> new TlsKeyStoreFile(t,
                config.outbound().map(SipOutbound::trusted).orElse(List.of())));
        keyStore.ifPresent(k -> k.configure(p));
        try {
            stack = new BridgeSipStack(p);  // reads the key store now: it need not outlive this
        } finally {
            keyStore.ifPresent(TlsKeyStoreFile::close);
        }
        this.port = port;
        ListeningPoint udp = stack.createListeningPoint(config.host(), port, ListeningPoint.UDP);
        ListeningPoint tcp = stack.createListeningPoint(config.host(), port, ListeningPoint.TCP);
        SipProvider provider = stack.createSipProvider(udp);
        provider.addListeningPoint(tcp);
        if (config.tls().isPresent()) {
            tlsPort = config.tls().get().port() != 0 ? config.tls().get().port() : freeTcpPort(config.host());
            provider.addListeningPoint(stack.createListeningPoint(config.host(), tlsPort, ListeningPoint.TLS));
        }
        wire.bind(provider, new SipMessages(config.contactHost(), port, tlsPort));
        provider.addSipListener(requests);
        stack.start();
    }

    /**
     * Stops a stack that failed to start. JAIN-SIP's stop throws for a listening point that never
     * bound; that is kept beside the failure instead of hiding it.
     */
    private void discardStack(Exception failure) {
        if (stack == null) return;
        try {
            stack.stop();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        stack = null;
    }

    public int port() {
        return port;
    }

    /**
     * Server and client transactions the SIP stack holds, those whose final response went out and
     * that wait out their timers (Timer I, J, K) included: with {@link #heldDialogs()}, what the
     * bridge's memory grows with under load (see {@link BridgeSipStack}). 0 before start.
     */
    public int heldTransactions() {
        SipStackImpl s = stack;
        return s == null ? 0 : s.getServerTransactionTableSize() + s.getClientTransactionTableSize();
    }

    /** Dialogs the SIP stack holds, early, confirmed or ended and still kept. 0 before start. */
    public int heldDialogs() {
        SipStackImpl s = stack;
        return s == null ? 0 : s.getDialogs().size();
    }

    /**
     * Whether the trunk holds our registration now (see {@code sip.outbound.register}); false too when
     * no registration is configured.
     */
    public boolean trunkRegistered() {
        return registration.map(TrunkRegistration::registered).orElse(false);
    }

    /** For tests that wait until the registration has taken an answer in. */
    Optional<TrunkRegistration> registration() {
        return registration;
    }

    /** Whether this bridge registers with its trunk at all. */
    public boolean registersWithTrunk() {
        return registration.isPresent();
    }

    /**
     * Whether the trunk answered the bridge's last OPTIONS (see {@code sip.outbound.keepAlive}); false
     * too before the first answer, and when no keep-alive is configured.
     */
    public boolean trunkUp() {
        return probe.map(TrunkProbe::up).orElse(false);
    }

    /** Whether this bridge asks its trunk OPTIONS at all. */
    public boolean probesTrunk() {
        return probe.isPresent();
    }

    /** The TLS port once started; 0 without {@code tls}. */
    public int tlsPort() {
        return tlsPort;
    }

    /** The callbackUri of every call this bridge places. */
    public String callbackUri() {
        return SCHEME + "://" + config.nodeId();
    }

    /**
     * Reaches phone numbers and SIP addresses through the configured trunk, for the API's
     * {@code POST /communications/calls}; {@link Gateway#NONE} without {@code sip.outbound}.
     */
    public Gateway gateway() {
        return config.outbound().map(o -> (Gateway) new SipGateway(callbackUri(), o.ringing())).orElse(Gateway.NONE);
    }

    @Override
    public synchronized void close() {
        probe.ifPresent(TrunkProbe::close);
        registration.ifPresent(TrunkRegistration::close);  // its last REGISTER needs the stack
        if (stack != null) {
            stack.stop();
            stack = null;
        }
        reactions.shutdownNow();
        callees.close();
        legs.all().forEach(leg -> {
            synchronized (leg) {
                leg.closeMedia();
            }
        });
    }

    /**
     * A caller leg's notification (the bot's decision, the deadline, or the end of the call), or one of a
     * leg offered to the bridge (a bot's call out: INVITE, CANCEL, BYE).
     */
    @Override
    public boolean deliver(PendingNotification n) {
        return callees.deliver(n) || notifications.deliver(n);
    }

    /** The callee's {@code created} has reached the bot: 180 Ringing. */
    @Override
    public void delivered(PendingNotification n, int attempts, Duration latency) {
        notifications.delivered(n);
    }

    private static int freeTcpPort(String host) {
        try (ServerSocket tcp = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return tcp.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port free for both UDP and TCP on {@code host}. */
    private static int freePort(String host) {
        for (int attempt = 0; attempt < 50; attempt++) {
            try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
                 ServerSocket tcp = new ServerSocket(udp.getLocalPort(), 1, InetAddress.getByName(host))) {
                return tcp.getLocalPort();
            } catch (IOException taken) {
                // the TCP side is in use: try another
            }
        }
        throw new UncheckedIOException(new IOException("no port free for both UDP and TCP on " + host));
    }
}
