package dev.switchboard.sip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.apps.App;
import dev.switchboard.core.apps.Directory;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Offer;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.PlaceCall;
import dev.switchboard.core.calls.Verdict;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.notify.DeliveryListener;
import dev.switchboard.notify.LocalDelivery;
import gov.nist.javax.sip.SipStackImpl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.DialogState;
import javax.sip.DialogTerminatedEvent;
import javax.sip.IOExceptionEvent;
import javax.sip.ListeningPoint;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import javax.sip.TimeoutEvent;
import javax.sip.TransactionAlreadyExistsException;
import javax.sip.TransactionTerminatedEvent;
import javax.sip.TransactionUnavailableException;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
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

    private final SipConfig config;
    private final SipRoutes routes;
    private final Directory directory;
    private final CallActions actions;
    private final ObjectMapper json = new ObjectMapper();
    private final ExecutorService reactions;

    // The registry: what a notification, CANCEL, ACK or BYE is about. Guarded by itself.
    private final Object registry = new Object();
    private final Map<String, SipLeg> bySip = new ConcurrentHashMap<>();
    private final Map<String, SipLeg> byLeg = new HashMap<>();
    private final Map<String, SipLeg> byChain = new HashMap<>();
    /** Notifications for legs whose placement has not completed here yet (a very quick bot). */
    private final Map<String, List<PendingNotification>> parked = new HashMap<>();
    private final Set<String> earlyRinging = new HashSet<>();
    private int placing;

    private SipStackImpl stack;
    private SipProvider provider;
    private SipMessages sip;
    private int port;

    /**
     * @throws IllegalArgumentException if a route names an app the directory lacks, or one without a
     *                                  callbackUri
     */
    public SipBridge(SipConfig config, Directory directory, CallActions actions) {
        this.config = config;
        this.routes = new SipRoutes(config.routes());
        this.directory = directory;
        this.actions = actions;
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
    }

    /** Listens on UDP and TCP. */
    public synchronized SipBridge start() {
        if (stack != null) throw new IllegalStateException("already started");
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", "switchboard-sip-" + config.nodeId() + "-" + STACKS.incrementAndGet());
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("gov.nist.javax.sip.STACK_LOGGER", Slf4jStackLogger.class.getName());
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "16");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "true");
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
        try {
            stack = new SipStackImpl(p);
            port = config.port() != 0 ? config.port() : freePort(config.host());
            ListeningPoint udp = stack.createListeningPoint(config.host(), port, ListeningPoint.UDP);
            ListeningPoint tcp = stack.createListeningPoint(config.host(), port, ListeningPoint.TCP);
            provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            sip = new SipMessages(config.contactHost(), port);
            provider.addSipListener(new Listener());
            stack.start();
        } catch (Exception e) {
            if (stack != null) stack.stop();
            stack = null;
            throw new IllegalStateException("cannot listen for SIP on " + config.host() + ":" + config.port(), e);
        }
        log.info("SIP on {}:{} (udp, tcp), {} route(s)", config.host(), port, config.routes().size());
        return this;
    }

    public int port() {
        return port;
    }

    /** The callbackUri of every call this bridge places. */
    public String callbackUri() {
        return SCHEME + "://" + config.nodeId();
    }

    @Override
    public synchronized void close() {
        if (stack != null) {
            stack.stop();
            stack = null;
        }
        reactions.shutdownNow();
        bySip.values().forEach(leg -> {
            synchronized (leg) {
                leg.closeMedia();
            }
        });
    }

    // ---- the decision comes back: notifications of caller legs -----------------------------------

    @Override
    public boolean deliver(PendingNotification n) {
        if (!n.callbackUri().equals(callbackUri())) {
            // another node's leg, in a cluster: that node holds the transaction and delivers it
            log.debug("notification {} is for {}, not this node", n.messageId(), n.callbackUri());
            return false;
        }
        SipLeg leg;
        synchronized (registry) {
            leg = byLeg.get(n.callId());
            if (leg == null) {
                if (placing > 0) {
                    parked.computeIfAbsent(n.callId(), k -> new ArrayList<>()).add(n);
                } else {
                    log.debug("no SIP transaction for leg {} (over, or placed before a restart); {} {} dropped",
                            n.callId(), n.changeType().wireName(), n.messageId());
                }
                return true;
            }
        }
        handle(leg, n);
        return true;
    }

    private void handle(SipLeg leg, PendingNotification n) {
        JsonNode call;
        try {
            call = json.readTree(n.resourceData());
        } catch (IOException e) {
            log.error("notification {} of leg {} is not JSON; dropped", n.messageId(), n.callId(), e);
            return;
        }
        if (n.changeType() == ChangeType.UPDATED && "established".equals(call.path("state").asText())) {
            answer(leg);
        } else if (n.changeType() == ChangeType.DELETED) {
            JsonNode result = call.path("resultInfo");
            ended(leg, result.path("code").asInt(0), result.path("subcode").asInt(0));
            forget(leg);
        }
    }

    /** The callee answered: 200 OK with the SDP answer and an echoing RTP port. */
    private void answer(SipLeg leg) {
        synchronized (leg) {
            if (leg.stage != SipLeg.Stage.OFFERED || leg.cancelled) return;
            try {
                RtpEcho media = new RtpEcho(config.host());
                leg.media = media;
                leg.answerSdp = Sdp.describe(leg.audio, config.contactHost(), media.port(),
                        ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2));
                leg.invite.sendResponse(sip.ok(leg.request, leg.toTag, leg.answerSdp));
                leg.dialog = leg.invite.getDialog();
                leg.stage = SipLeg.Stage.ANSWERED;
            } catch (Exception e) {
                log.warn("could not answer SIP call of leg {}", leg.legId, e);
                leg.closeMedia();
            }
        }
    }

    /** The caller leg is over: the final response if there was none yet, or a BYE after an answer. */
    private void ended(SipLeg leg, int code, int subcode) {
        synchronized (leg) {
            if (leg.stage == SipLeg.Stage.OFFERED) {
                finalResponse(leg, FinalResponse.forUnanswered(code, subcode, leg.responses));
            } else if (leg.stage == SipLeg.Stage.ANSWERED) {
                leg.stage = SipLeg.Stage.ENDED;
                leg.closeMedia();
                bye(leg);
            }
        }
    }

    /** Under the leg's monitor. */
    private void finalResponse(SipLeg leg, FinalResponse outcome) {
        leg.stage = SipLeg.Stage.ENDED;
        try {
            leg.invite.sendResponse(sip.failure(leg.request, outcome, leg.toTag));
        } catch (Exception e) {
            log.warn("could not send {} for leg {}", outcome.status(), leg.legId, e);
        }
    }

    /** Under the leg's monitor; waits for the ACK if it has not come yet (RFC 3261 15.1.1). */
    private void bye(SipLeg leg) {
        if (leg.dialog == null) return;
        if (leg.dialog.getState() != DialogState.CONFIRMED) {
            leg.byeOwed = true;
            return;
        }
        try {
            Request bye = leg.dialog.createRequest(Request.BYE);
            ClientTransaction ct = provider.getNewClientTransaction(bye);
            leg.dialog.sendRequest(ct);
        } catch (Exception e) {
            log.warn("could not send BYE for leg {}", leg.legId, e);
        }
    }

    private void forget(SipLeg leg) {
        synchronized (registry) {
            if (leg.legId != null) byLeg.remove(leg.legId, leg);
            if (leg.chainId != null) byChain.remove(leg.chainId, leg);
            bySip.remove(leg.key, leg);
        }
    }

    // ---- 180 Ringing once the bot has heard of the call -------------------------------------------

    @Override
    public void delivered(PendingNotification n, int attempts, Duration latency) {
        if (n.changeType() != ChangeType.CREATED) return;
        try {
            reactions.execute(() -> {
                SipLeg leg;
                synchronized (registry) {
                    leg = byChain.get(n.callChainId());
                    if (leg == null) {
                        if (placing > 0) earlyRinging.add(n.callChainId());
                        return;
                    }
                }
                ring(leg);
            });
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // closing: no more provisional responses
        }
    }

    private void ring(SipLeg leg) {
        synchronized (leg) {
            if (leg.stage != SipLeg.Stage.OFFERED || leg.rang || leg.cancelled) return;
            leg.rang = true;
            try {
                leg.invite.sendResponse(sip.response(leg.request, 180, leg.toTag));
            } catch (Exception e) {
                log.debug("could not send 180 for leg {}: {}", leg.legId, e.toString());
            }
        }
    }

    // ---- requests from callers ---------------------------------------------------------------------

    private final class Listener implements SipListener {
        @Override
        public void processRequest(RequestEvent event) {
            Request request = event.getRequest();
            try {
                switch (request.getMethod()) {
                    case Request.INVITE: invite(event); break;
                    case Request.ACK: ack(request); break;
                    case Request.CANCEL: cancel(event); break;
                    case Request.BYE: byeFromCaller(event); break;
                    case Request.OPTIONS: reply(event, 200); break;
                    default: reply(event, 405); break;
                }
            } catch (RuntimeException e) {
                log.warn("{} from {} failed", request.getMethod(), request.getHeader(FromHeader.NAME), e);
                reply(event, 500);
            }
        }

        @Override
        public void processResponse(ResponseEvent event) {
            // answers to our BYEs: nothing more to do
        }

        @Override
        public void processTimeout(TimeoutEvent event) {
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
            // an answered call whose dialog died without a BYE (no ACK ever came): hang the leg up
            String callId = event.getDialog().getCallId().getCallId();
            for (SipLeg leg : bySip.values()) {
                boolean hang;
                synchronized (leg) {
                    hang = leg.dialog == event.getDialog() && leg.stage == SipLeg.Stage.ANSWERED;
                    if (hang) {
                        leg.stage = SipLeg.Stage.ENDED;
                        leg.closeMedia();
                    }
                }
                if (hang) {
                    log.info("SIP dialog {} ended without BYE; hanging up leg {}", callId, leg.legId);
                    hangup(leg);
                }
            }
        }
    }

    private void invite(RequestEvent event) {
        Request request = event.getRequest();
        String key = SipMessages.key(request);
        if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
            reInvite(event, key);
            return;
        }
        ServerTransaction st = transaction(event);
        if (st == null) return;
        send(st, request, 100, null);
        URI uri = request.getRequestURI();
        String scheme;
        String user;
        String host;
        if (uri instanceof SipURI sipUri) {
            scheme = sipUri.getScheme();
            user = sipUri.getUser() == null ? "" : sipUri.getUser();
            host = sipUri.getHost();
        } else if (uri instanceof TelURL tel) {
            scheme = "tel";
            user = (tel.isGlobal() ? "+" : "") + tel.getPhoneNumber();
            host = "";
        } else {
            send(st, request, 416, null);
            return;
        }
        Optional<SipRoute> route = routes.route(scheme, user, host);
        if (route.isEmpty()) {
            send(st, request, 404, null);
            return;
        }
        Optional<Sdp.Audio> audio = Optional.empty();
        byte[] body = request.getRawContent();
        if (body != null && body.length > 0) {
            ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
            if (type == null || !type.getContentType().equalsIgnoreCase("application")
                    || !type.getContentSubType().equalsIgnoreCase("sdp")) {
                send(st, request, 415, null);
                return;
            }
            audio = Sdp.negotiate(new String(body, StandardCharsets.UTF_8));
            if (audio.isEmpty()) {
                send(st, request, 488, null);
                return;
            }
        }
        SipLeg leg = new SipLeg(key, st, request, SipMessages.tag(), route.get().tenantId(), audio, route.get().responses());
        SipLeg earlier = bySip.putIfAbsent(key, leg);
        if (earlier != null) {
            synchronized (earlier) {
                if (earlier.stage != SipLeg.Stage.ENDED) {
                    // the same INVITE again on another branch while the first is open (RFC 3261 8.2.2.2)
                    send(st, request, 482, null);
                    return;
                }
            }
            bySip.put(key, leg);
        }
        App app = directory.app(route.get().tenantId(), route.get().appId()).orElseThrow();
        Party target = Party.of(IdentitySet.of(Identity.application(app.id(), app.name(), app.tenantId())));
        Offer offer = new Offer(app.tenantId(), app.id(), target, app.callbackUri().orElseThrow(),
                !app.permissions().isEmpty());
        PlaceCall place = new PlaceCall(app.tenantId(), APP_ID, callbackUri(), SipMessages.caller(request), List.of(target),
                List.of(offer), List.of(Modality.AUDIO), Optional.empty(),
                Optional.of(new PlaceCall.RetryKey("sip/" + config.nodeId() + "/" + key, true)));
        synchronized (registry) {
            placing++;
        }
        try {
            actions.place(place).whenCompleteAsync((call, error) -> placed(leg, call, error), reactions);
        } catch (RuntimeException e) {
            placed(leg, null, e);
        }
    }

    /** The place committed (or failed): tie the leg to its call, and catch up on what happened meanwhile. */
    private void placed(SipLeg leg, Call call, Throwable error) {
        List<PendingNotification> owed = List.of();
        boolean ring = false;
        synchronized (registry) {
            try {
                if (error != null) {
                    log.warn("could not place the SIP call {}", leg.key, error);
                    bySip.remove(leg.key, leg);
                    synchronized (leg) {
                        if (leg.stage == SipLeg.Stage.OFFERED) {
                            leg.stage = SipLeg.Stage.ENDED;
                            send(leg.invite, leg.request, 503, leg.toTag);
                        }
                    }
                    return;
                }
                SipLeg other = byLeg.get(call.id());
                if (call.state() == CallState.TERMINATED || (other != null && other != leg)) {
                    // the retry key found a call placed for an earlier INVITE that is over or still ours
                    bySip.remove(leg.key, leg);
                    synchronized (leg) {
                        if (other != null) {
                            leg.stage = SipLeg.Stage.ENDED;
                            send(leg.invite, leg.request, 482, leg.toTag);
                        } else {
                            finalResponse(leg, FinalResponse.forUnanswered(call.resultInfo().orElseThrow().code(),
                                    call.resultInfo().orElseThrow().subcode(), leg.responses));
                        }
                    }
                    return;
                }
                synchronized (leg) {
                    leg.legId = call.id();
                    leg.chainId = call.callChainId();
                }
                byLeg.put(call.id(), leg);
                byChain.put(call.callChainId(), leg);
                owed = parked.getOrDefault(call.id(), List.of());
                parked.remove(call.id());
                ring = earlyRinging.remove(call.callChainId());
                if (call.state() == CallState.ESTABLISHED) answer(leg);  // answered before a restart
                if (ring) ring(leg);
                // in order, before any later notification of the leg can get in
                for (PendingNotification n : owed) handle(leg, n);
            } finally {
                if (--placing == 0) {
                    if (!parked.isEmpty()) log.debug("dropping notifications of {} unknown legs", parked.size());
                    parked.clear();
                    earlyRinging.clear();
                }
            }
        }
        boolean cancelled;
        synchronized (leg) {
            cancelled = leg.cancelled && leg.stage == SipLeg.Stage.OFFERED;
        }
        if (cancelled) hangup(leg);
    }

    private void ack(Request request) {
        SipLeg leg = bySip.get(SipMessages.key(request));
        if (leg == null) return;
        synchronized (leg) {
            if (leg.byeOwed) {
                leg.byeOwed = false;
                bye(leg);
            }
        }
    }

    private void cancel(RequestEvent event) {
        ServerTransaction st = transaction(event);
        if (st == null) return;
        SipLeg leg = bySip.get(SipMessages.key(event.getRequest()));
        if (leg == null) {
            send(st, event.getRequest(), 481, null);
            return;
        }
        send(st, event.getRequest(), 200, null);
        boolean hangupNow;
        synchronized (leg) {
            if (leg.stage != SipLeg.Stage.OFFERED || leg.cancelled) return;
            leg.cancelled = true;
            hangupNow = leg.legId != null;
        }
        if (hangupNow) hangup(leg);
    }

    private void byeFromCaller(RequestEvent event) {
        ServerTransaction st = transaction(event);
        if (st == null) return;
        SipLeg leg = bySip.get(SipMessages.key(event.getRequest()));
        boolean hang = false;
        int status = 481;
        if (leg != null) {
            synchronized (leg) {
                if (leg.stage == SipLeg.Stage.ANSWERED) {
                    leg.stage = SipLeg.Stage.ENDED;
                    leg.closeMedia();
                    hang = true;
                    status = 200;
                } else if (leg.stage == SipLeg.Stage.ENDED) {
                    status = 200;
                }
            }
        }
        send(st, event.getRequest(), status, null);
        if (hang) hangup(leg);
    }

    /** A re-INVITE (session refresh, hold): the same answer again. Media changes are not supported yet. */
    private void reInvite(RequestEvent event, String key) {
        ServerTransaction st = transaction(event);
        if (st == null) return;
        SipLeg leg = bySip.get(key);
        if (leg == null) {
            send(st, event.getRequest(), 481, null);
            return;
        }
        synchronized (leg) {
            if (leg.stage != SipLeg.Stage.ANSWERED) {
                send(st, event.getRequest(), leg.stage == SipLeg.Stage.OFFERED ? 491 : 481, null);
                return;
            }
            try {
                st.sendResponse(sip.ok(event.getRequest(), null, leg.answerSdp));
            } catch (Exception e) {
                log.debug("could not answer re-INVITE: {}", e.toString());
            }
        }
    }

    /** The caller gave up (CANCEL) or hung up (BYE): one transition of the caller leg. */
    private void hangup(SipLeg leg) {
        actions.execute(new Command.Hangup(leg.legId, leg.tenantId, APP_ID)).whenCompleteAsync((verdict, error) -> {
            if (error != null) {
                log.warn("could not hang up leg {}; its deadline will end it", leg.legId, error);
            } else if (verdict instanceof Verdict.Applied) {
                synchronized (leg) {
                    // the call is over in the store: answer the INVITE now rather than on the notification
                    if (leg.stage == SipLeg.Stage.OFFERED) finalResponse(leg, FinalResponse.CANCELLED);
                }
            }
            // otherwise the bot or the deadline won the race; the caller leg's notification says which
        }, reactions);
    }

    // ---- messages ----------------------------------------------------------------------------------

    private ServerTransaction transaction(RequestEvent event) {
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

    private void reply(RequestEvent event, int status) {
        if (event.getRequest().getMethod().equals(Request.ACK)) return;
        ServerTransaction st = transaction(event);
        if (st != null) send(st, event.getRequest(), status, null);
    }

    private void send(ServerTransaction st, Request request, int status, String toTag) {
        try {
            st.sendResponse(sip.response(request, status, toTag));
        } catch (Exception e) {
            log.debug("could not send {} to {}: {}", status, request.getMethod(), e.toString());
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
