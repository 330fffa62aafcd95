package dev.switchboard.sip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.store.PendingNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * The bot's decision coming back through the outbox: the caller leg's {@code established} becomes the
 * 200 OK, its {@code deleted} the final response or a BYE; the callee's delivered {@code created}
 * becomes 180 Ringing. The notification is the only source of these, so the SIP side never decides a
 * call's state on its own.
 */
final class CallerLegNotifications {

    private static final Logger log = LoggerFactory.getLogger(CallerLegNotifications.class);

    private final String callbackUri;
    private final SipLegs legs;
    private final CallerSide caller;
    private final Executor reactions;
    private final ObjectMapper json = new ObjectMapper();

    CallerLegNotifications(String callbackUri, SipLegs legs, CallerSide caller, Executor reactions) {
        this.callbackUri = callbackUri;
        this.legs = legs;
        this.caller = caller;
        this.reactions = reactions;
    }

    /** As {@link dev.switchboard.notify.LocalDelivery#deliver}: false leaves the row to another node. */
    boolean deliver(PendingNotification n) {
        if (!n.callbackUri().equals(callbackUri)) {
            // another node's leg, in a cluster: that node holds the transaction and delivers it
            log.debug("notification {} is for {}, not this node", n.messageId(), n.callbackUri());
            return false;
        }
        SipLeg leg = legs.forNotification(n);
        if (leg != null) handle(leg, n);
        return true;
    }

    void handle(SipLeg leg, PendingNotification n) {
        JsonNode call;
        try {
            call = json.readTree(n.resourceData());
        } catch (IOException e) {
            log.error("notification {} of leg {} is not JSON; dropped", n.messageId(), n.callId(), e);
            return;
        }
        if (n.changeType() == ChangeType.UPDATED && "established".equals(call.path("state").asText())) {
            caller.answer(leg);
        } else if (n.changeType() == ChangeType.DELETED) {
            JsonNode result = call.path("resultInfo");
            caller.ended(leg, result.path("code").asInt(0), result.path("subcode").asInt(0), targets(call));
            legs.forget(leg);
        }
    }

    /** The leg's phone and guest targets, which is all a redirect's 302 can name. */
    private static List<Party> targets(JsonNode call) {
        List<Party> parties = new ArrayList<>();
        for (JsonNode target : call.path("targets")) {
            JsonNode identity = target.path("identity");
            for (IdentityKind kind : List.of(IdentityKind.PHONE, IdentityKind.GUEST)) {
                String id = identity.path(kind.wireName()).path("id").asText("");
                if (!id.isEmpty()) {
                    parties.add(Party.of(IdentitySet.of(new Identity(kind, id, Optional.empty(), Optional.empty()))));
                    break;
                }
            }
        }
        return parties;
    }

    /** Any notification delivered to any app; only a {@code created} (the callee's offer) rings. */
    void delivered(PendingNotification n) {
        if (n.changeType() != ChangeType.CREATED) return;
        try {
            // off the dispatcher's thread: ringing must not slow deliveries down
            reactions.execute(() -> {
                SipLeg leg = legs.forRinging(n.callChainId());
                if (leg != null) caller.ring(leg);
            });
        } catch (RejectedExecutionException stopping) {
            // closing: no more provisional responses
        }
    }
}
