package dev.switchboard.sip;

import dev.switchboard.core.apps.App;
import dev.switchboard.core.apps.Directory;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Offer;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.PlaceCall;
import dev.switchboard.core.store.PendingNotification;
import gov.nist.javax.sip.message.SIPMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.address.SipURI;
import javax.sip.address.TelURL;
import javax.sip.address.URI;
import javax.sip.header.ContentTypeHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * An INVITE becomes a call: routed, its offer negotiated, then placed by the bridge as a caller leg
 * offered to the routed app (retry key: Call-ID and From tag, so the same INVITE sent again finds the
 * same call). A re-INVITE in an answered dialog gets the same answer again.
 */
final class Invites {

    private static final Logger log = LoggerFactory.getLogger(Invites.class);

    private final SipConfig config;
    private final SipRoutes routes;
    private final Directory directory;
    private final CallActions actions;
    private final String callbackUri;
    private final SipLegs legs;
    private final SipWire wire;
    private final CallerSide caller;
    private final CallerLegNotifications notifications;
    private final CallerHangups hangups;
    private final Executor reactions;
    private final FinalResponseListener finalResponses;

    Invites(SipConfig config, Directory directory, CallActions actions, String callbackUri, SipLegs legs,
            SipWire wire, CallerSide caller, CallerLegNotifications notifications, CallerHangups hangups,
            Executor reactions, FinalResponseListener finalResponses) {
        this.config = config;
        this.routes = new SipRoutes(config.routes());
        this.directory = directory;
        this.actions = actions;
        this.callbackUri = callbackUri;
        this.legs = legs;
        this.wire = wire;
        this.caller = caller;
        this.notifications = notifications;
        this.hangups = hangups;
        this.reactions = reactions;
        this.finalResponses = finalResponses;
    }

    /** An INVITE turned away before it became a call: answered, and counted with every other final response. */
    private void refuse(ServerTransaction st, Request request, int status, long arrived) {
        wire.send(st, request, status, null);
        finalResponses.sent(status, Duration.ofNanos(System.nanoTime() - arrived));
    }

    void invite(RequestEvent event) {
        long arrived = System.nanoTime();
        Request request = event.getRequest();
        String key = SipMessages.key(request);
        if (((ToHeader) request.getHeader(ToHeader.NAME)).getTag() != null) {
            reInvite(event, key);
            return;
        }
        ServerTransaction st = wire.transaction(event);
        if (st == null) return;
        Optional<InetAddress> sender = Optional.ofNullable(((SIPMessage) request).getPeerPacketSourceAddress());
        if (!config.admits(sender)) {
            log.debug("INVITE from {}, outside sip.allowFrom: 403", sender);
            refuse(st, request, 403, arrived);
            return;
        }
        wire.send(st, request, 100, null);
        URI uri = request.getRequestURI();
        String scheme;
        String user;
        String host;
        if (uri instanceof SipURI sipUri) {
            scheme = sipUri.getScheme();
            user = SipMessages.user(sipUri);
            host = sipUri.getHost();
        } else if (uri instanceof TelURL tel) {
            scheme = "tel";
            user = (tel.isGlobal() ? "+" : "") + tel.getPhoneNumber();
            host = "";
        } else {
            refuse(st, request, 416, arrived);
            return;
        }
        Optional<SipRoute> route = routes.route(scheme, user, host);
        if (route.isEmpty()) {
            refuse(st, request, 404, arrived);
            return;
        }
        if (!actions.acceptsCalls()) {
            refuse(st, request, 503, arrived);  // the store is gone: nothing to keep the call in
            return;
        }
        Optional<Sdp.Audio> audio = Optional.empty();
        byte[] body = request.getRawContent();
        if (body != null && body.length > 0) {
            ContentTypeHeader type = (ContentTypeHeader) request.getHeader(ContentTypeHeader.NAME);
            if (type == null || !type.getContentType().equalsIgnoreCase("application")
                    || !type.getContentSubType().equalsIgnoreCase("sdp")) {
                refuse(st, request, 415, arrived);
                return;
            }
            audio = Sdp.negotiate(new String(body, StandardCharsets.UTF_8));
            if (audio.isEmpty()) {
                refuse(st, request, 488, arrived);
                return;
            }
        }
        SipLeg leg = new SipLeg(key, st, request, SipMessages.tag(), route.get().tenantId(), audio, route.get().responses(),
                arrived);
        if (!legs.open(leg)) {
            refuse(st, request, 482, arrived);
            return;
        }
        App app = directory.app(route.get().tenantId(), route.get().appId()).orElseThrow();
        Party target = Party.of(IdentitySet.of(Identity.application(app.id(), app.name(), app.tenantId())));
        Offer offer = new Offer(app.tenantId(), app.id(), target, app.callbackUri().orElseThrow(),
                !app.permissions().isEmpty());
        Party source = SipMessages.caller(request);
        PlaceCall place = new PlaceCall(app.tenantId(), SipBridge.APP_ID, callbackUri, source,
                List.of(target), List.of(offer), List.of(Modality.AUDIO),
                GroupInvitations.of(request, route.get().group(), source, offer.seesCaller()),
                Optional.of(new PlaceCall.RetryKey("sip/" + config.nodeId() + "/" + key, true)));
        legs.placing();
        try {
            actions.place(place).whenCompleteAsync((call, error) -> placed(leg, call, error), reactions);
        } catch (RuntimeException e) {
            placed(leg, null, e);
        }
    }

    /** The place committed (or failed): tie the leg to its call, and catch up on what happened meanwhile. */
    private void placed(SipLeg leg, Call call, Throwable error) {
        if (error != null) {
            log.warn("could not place the SIP call {}", leg.key, error);
            legs.abandon(leg);
            synchronized (leg) {
                if (leg.stage == SipLeg.Stage.OFFERED) caller.refuse(leg, 503);
            }
            return;
        }
        SipLegs.Binding binding = legs.bind(leg, call, (owed, ring) -> {
            if (call.state() == CallState.ESTABLISHED) caller.answer(leg);  // answered before a restart
            if (ring) caller.ring(leg);
            for (PendingNotification n : owed) notifications.handle(leg, n);
        });
        switch (binding) {
            case HELD_BY_ANOTHER_LEG:
                synchronized (leg) {
                    caller.refuse(leg, 482);
                }
                return;
            case OVER:
                synchronized (leg) {
                    finalResponse(leg, call);
                }
                return;
            default:
                break;
        }
        boolean cancelled;
        synchronized (leg) {
            cancelled = leg.cancelled && leg.stage == SipLeg.Stage.OFFERED;
        }
        if (cancelled) hangups.hangup(leg);
    }

    /** Under the leg's monitor: the retry key found an earlier INVITE's call, already over. */
    private void finalResponse(SipLeg leg, Call over) {
        caller.ended(leg, over.resultInfo().orElseThrow().code(), over.resultInfo().orElseThrow().subcode(),
                over.targets());
    }

    /** Session refresh or hold: the same answer again, since media changes are not supported yet. */
    private void reInvite(RequestEvent event, String key) {
        ServerTransaction st = wire.transaction(event);
        if (st == null) return;
        SipLeg leg = legs.byKey(key);
        if (leg == null) {
            wire.send(st, event.getRequest(), 481, null);
            return;
        }
        synchronized (leg) {
            if (leg.stage != SipLeg.Stage.ANSWERED) {
                wire.send(st, event.getRequest(), leg.stage == SipLeg.Stage.OFFERED ? 491 : 481, null);
                return;
            }
            try {
                st.sendResponse(wire.messages().ok(event.getRequest(), null, leg.answerSdp));
            } catch (Exception e) {
                log.debug("could not answer re-INVITE: {}", e.toString());
            }
        }
    }
}
