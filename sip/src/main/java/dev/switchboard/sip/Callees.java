package dev.switchboard.sip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.RejectReason;
import dev.switchboard.core.calls.ResultInfo;
import dev.switchboard.core.calls.Verdict;
import dev.switchboard.core.store.PendingNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.ClientTransaction;
import javax.sip.RequestEvent;
import javax.sip.ResponseEvent;
import javax.sip.ServerTransaction;
import javax.sip.TimeoutEvent;
import javax.sip.header.CSeqHeader;
import javax.sip.header.CallIdHeader;
import javax.sip.message.Message;
import javax.sip.message.Request;
import javax.sip.message.Response;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bots' calls to phone numbers and SIP addresses. Such a call is offered to the bridge (see
 * {@link SipGateway}); the offered leg's {@code created} sends the INVITE through the trunk with an SDP
 * offer and an echoing RTP port, and what the callee answers becomes a command on that leg, so the state
 * machine judges it like any callee's decision: 200 → answer (ACK sent), 486/600 → reject busy, 603 →
 * reject none, 403 → reject forbidden, any other failure or no response → unreachable with the SIP
 * status; a trunk's first 401 or 407 is answered with the configured login instead, and the INVITE
 * sent again decides. The leg's {@code deleted} (the bot hung up, or its ringing time ran out) becomes
 * a CANCEL before the answer and a BYE after it; the callee's BYE hangs the leg up. Provisional
 * responses change nothing a bot sees: Graph has no ringing state, the bot's call stays
 * {@code establishing}.
 */
final class Callees {

    private static final Logger log = LoggerFactory.getLogger(Callees.class);
    private static final int REMEMBERED = 10_000;

    private final SipConfig config;
    private final CallActions actions;
    private final SipWire wire;
    private final Executor reactions;
    private final String callbackUri;
    private final KeptDialogs dialogs;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, CalleeLeg> byLeg = new ConcurrentHashMap<>();
    private final Map<String, CalleeLeg> byCallId = new ConcurrentHashMap<>();
    // legs already called, kept after they end: a created delivered again (at least once) must not call twice
    private final Set<String> called = Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    }));

    Callees(SipConfig config, CallActions actions, SipWire wire, Executor reactions, String callbackUri,
            KeptDialogs dialogs) {
        this.config = config;
        this.dialogs = dialogs;
        this.actions = actions;
        this.wire = wire;
        this.reactions = reactions;
        this.callbackUri = callbackUri;
    }

    /** A notification of a leg offered to the bridge, handled; false for any other (a caller leg's, another node's). */
    boolean deliver(PendingNotification n) {
        if (!n.callbackUri().equals(callbackUri)) return false;
        JsonNode call;
        try {
            call = json.readTree(n.resourceData());
        } catch (IOException e) {
            return false;  // the caller legs' handler logs it
        }
        if (!"incoming".equals(call.path("direction").asText())) return false;
        if (n.changeType() == ChangeType.CREATED) {
            invite(n, call);
        } else if (n.changeType() == ChangeType.DELETED) {
            ended(n.callId());
        }
        // updated: the bridge's own answer coming back; nothing to do
        return true;
    }

    private void invite(PendingNotification n, JsonNode call) {
        if (!"incoming".equals(call.path("state").asText()) || !called.add(n.callId())) return;  // a repeat
        Optional<CalleeAddress> callee = CalleeAddress.of(call);
        if (callee.isEmpty() || config.outbound().isEmpty()) {
            execute(n.callId(), new Command.Unreachable(n.callId(), n.tenantId(), SipBridge.APP_ID,
                    new ResultInfo(404, 0, "Not Found")));
            return;
        }
        CalleeLeg leg;
        try {
            RtpEcho media = new RtpEcho(config.host());
            leg = new CalleeLeg(n.callId(), n.tenantId(), wire.newCallId(), media);
        } catch (RuntimeException e) {
            log.warn("no media for the call of leg {}", n.callId(), e);
            execute(n.callId(), unreachable(n.callId(), n.tenantId(), 503, "Service Unavailable"));
            return;
        }
        if (byLeg.putIfAbsent(leg.legId, leg) != null) {
            leg.media.close();
            return;
        }
        byCallId.put(leg.callId, leg);
        boolean sent;
        synchronized (leg) {
            try {
                String sdp = Sdp.describe(Optional.empty(), config.contactHost(), leg.media.port(),
                        ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2));
                Request invite = wire.messages().invite(callee.get(), config.outbound().get(), callerName(call),
                        leg.callId, sdp);
                leg.invite = wire.start(invite);
                leg.dialog = leg.invite.getDialog();
                sent = true;
            } catch (Exception e) {
                log.warn("could not send the INVITE of leg {} to {}", leg.legId, callee.get().value(), e);
                leg.stage = CalleeLeg.Stage.ENDED;
                leg.media.close();
                sent = false;
            }
        }
        if (!sent) {
            forget(leg);
            execute(leg.legId, unreachable(leg.legId, leg.tenantId, 503, "Service Unavailable"));
        }
    }

    /** A response to a request the bridge sent; false if it is not about a callee leg. */
    boolean response(ResponseEvent event) {
        Response r = event.getResponse();
        CalleeLeg leg = byCallId.get(callId(r));
        if (leg == null) return false;
        if (!((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getMethod().equals(Request.INVITE)) return true;
        int status = r.getStatusCode();
        Command command = null;
        synchronized (leg) {
            ClientTransaction from = event.getClientTransaction();
            if (from != null && from != leg.invite && (status < 200 || status >= 300)) {
                return true;  // a late word about the INVITE a challenge replaced; only the one sent again counts
            }
            if (status < 200) {
                leg.provisional = true;
                if (leg.cancelOwed) {
                    leg.cancelOwed = false;
                    wire.cancel(leg.invite, leg.legId);
                }
            } else if (status < 300) {
                if (event.getDialog() != null) leg.dialog = event.getDialog();
                boolean answered = leg.stage == CalleeLeg.Stage.CALLING;
                // kept before the ACK: a callee whose 200 is never ACKed ends the call itself (RFC 3261 13.3.1.4)
                if (answered) dialogs.keep(leg.legId, leg.dialog, config.outbound().map(SipOutbound::transport).orElse("udp"));
                wire.ack(leg.dialog, ((CSeqHeader) r.getHeader(CSeqHeader.NAME)).getSeqNumber(), leg.legId);
                if (answered) {
                    leg.stage = CalleeLeg.Stage.ANSWERED;
                    command = new Command.Answer(leg.legId, leg.tenantId, SipBridge.APP_ID, Optional.empty(),
                            List.of(Modality.AUDIO));
                } else if (leg.stage == CalleeLeg.Stage.ENDED && byLeg.containsKey(leg.legId)) {
                    // answered while our CANCEL was on its way: the call is over, so end the dialog
                    wire.bye(leg.dialog, leg.legId);
                    forget(leg);
                }
            } else if (isChallenge(status) && leg.stage == CalleeLeg.Stage.CALLING && !leg.answeredChallenge
                    && config.outbound().flatMap(SipOutbound::login).isPresent() && authenticate(leg, r)) {
                return true;  // the INVITE went again, with credentials; its answer decides
            } else {
                if (leg.stage == CalleeLeg.Stage.CALLING) {
                    leg.stage = CalleeLeg.Stage.ENDED;
                    leg.media.close();
                    command = failure(leg, status, r.getReasonPhrase());
                }
                forget(leg);
            }
        }
        if (command != null) execute(leg.legId, command);
        return true;
    }

    private static boolean isChallenge(int status) {
        return status == Response.UNAUTHORIZED || status == Response.PROXY_AUTHENTICATION_REQUIRED;
    }

    /** Answers the trunk's challenge once; false if the INVITE could not go again (the challenge then ends the call). */
    private boolean authenticate(CalleeLeg leg, Response challenge) {
        SipOutbound trunk = config.outbound().orElseThrow();
        try {
            leg.invite = wire.authenticate(challenge, leg.invite, trunk.login().orElseThrow(), trunk.host());
            leg.dialog = leg.invite.getDialog();
            leg.answeredChallenge = true;
            leg.provisional = false;  // a CANCEL must wait for the new INVITE's own provisional response
            return true;
        } catch (Exception e) {
            log.warn("could not answer the trunk's challenge for leg {}", leg.legId, e);
            return false;
        }
    }

    /** The INVITE got no response at all (Timer B): the callee could not be reached. */
    boolean timeout(TimeoutEvent event) {
        if (event.isServerTransaction()) return false;
        ClientTransaction ct = event.getClientTransaction();
        CalleeLeg leg = byCallId.get(callId(ct.getRequest()));
        if (leg == null) return false;
        if (!ct.getRequest().getMethod().equals(Request.INVITE)) return true;
        boolean failed;
        synchronized (leg) {
            failed = leg.stage == CalleeLeg.Stage.CALLING;
            if (failed) {
                leg.stage = CalleeLeg.Stage.ENDED;
                leg.media.close();
            }
        }
        forget(leg);
        if (failed) execute(leg.legId, unreachable(leg.legId, leg.tenantId, 408, "Request Timeout"));
        return true;
    }

    /** The callee hung up; false if the BYE is not about a callee leg. */
    boolean bye(RequestEvent event) {
        CalleeLeg leg = byCallId.get(callId(event.getRequest()));
        if (leg == null) return false;
        ServerTransaction st = wire.transaction(event);
        if (st == null) return true;
        boolean hang;
        synchronized (leg) {
            hang = leg.stage == CalleeLeg.Stage.ANSWERED;
            if (hang) {
                leg.stage = CalleeLeg.Stage.ENDED;
                leg.media.close();
            }
        }
        wire.send(st, event.getRequest(), 200, null);
        forget(leg);
        if (hang) execute(leg.legId, new Command.Hangup(leg.legId, leg.tenantId, SipBridge.APP_ID));
        return true;
    }

    /** The offered leg is over (the bot hung up, or the deadline): CANCEL before the answer, BYE after. */
    private void ended(String legId) {
        CalleeLeg leg = byLeg.get(legId);
        if (leg == null) return;
        synchronized (leg) {
            switch (leg.stage) {
                case CALLING -> {
                    leg.stage = CalleeLeg.Stage.ENDED;
                    leg.media.close();
                    if (leg.provisional) wire.cancel(leg.invite, leg.legId);
                    else leg.cancelOwed = true;
                    // stays known until the final response, which may still be a 200 to end with a BYE
                }
                case ANSWERED -> {
                    leg.stage = CalleeLeg.Stage.ENDED;
                    leg.media.close();
                    wire.bye(leg.dialog, leg.legId);
                    forget(leg);
                }
                case ENDED -> {
                    // the callee's own response or BYE ended it first
                }
            }
        }
    }

    /** What a final failure response tells the state machine: the reject reasons where SIP has them. */
    static Command failure(CalleeLeg leg, int status, String phrase) {
        return switch (status) {
            case 486, 600 -> new Command.Reject(leg.legId, leg.tenantId, SipBridge.APP_ID, RejectReason.BUSY, Optional.empty());
            case 603 -> new Command.Reject(leg.legId, leg.tenantId, SipBridge.APP_ID, RejectReason.NONE, Optional.empty());
            case 403 -> new Command.Reject(leg.legId, leg.tenantId, SipBridge.APP_ID, RejectReason.FORBIDDEN, Optional.empty());
            default -> unreachable(leg.legId, leg.tenantId, status,
                    phrase == null || phrase.isBlank() ? "Request Failure" : phrase);
        };
    }

    private static Command unreachable(String legId, String tenantId, int status, String phrase) {
        return new Command.Unreachable(legId, tenantId, SipBridge.APP_ID, new ResultInfo(status, 0, phrase));
    }

    private void execute(String legId, Command command) {
        actions.execute(command).whenCompleteAsync((verdict, error) -> {
            if (error != null) {
                log.warn("could not apply {} to leg {}; its deadline will end it", command.getClass().getSimpleName(), legId, error);
            } else if (command instanceof Command.Answer && !(verdict instanceof Verdict.Applied)
                    && !(verdict instanceof Verdict.AlreadyApplied)) {
                lostTheAnswer(legId);
            }
        }, reactions);
    }

    /** The callee answered after the call ended (the bot hung up, the deadline passed): end the dialog. */
    private void lostTheAnswer(String legId) {
        CalleeLeg leg = byLeg.get(legId);
        if (leg == null) return;
        synchronized (leg) {
            if (leg.stage != CalleeLeg.Stage.ANSWERED) return;
            leg.stage = CalleeLeg.Stage.ENDED;
            leg.media.close();
            wire.bye(leg.dialog, leg.legId);
        }
        forget(leg);
    }

    private void forget(CalleeLeg leg) {
        byLeg.remove(leg.legId, leg);
        byCallId.remove(leg.callId, leg);
    }

    void close() {
        byLeg.values().forEach(leg -> leg.media.close());
    }

    /** The bot's display name, for the INVITE's From. */
    private static Optional<String> callerName(JsonNode call) {
        Iterator<JsonNode> members = call.path("source").path("identity").elements();
        while (members.hasNext()) {
            String name = members.next().path("displayName").asText("");
            if (!name.isBlank()) return Optional.of(name);
        }
        return Optional.empty();
    }

    private static String callId(Message m) {
        return ((CallIdHeader) m.getHeader(CallIdHeader.NAME)).getCallId();
    }
}
