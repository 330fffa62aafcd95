package dev.switchboard.sip;

import dev.switchboard.core.calls.Gateway;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.Offer;
import dev.switchboard.core.calls.Party;

import java.time.Duration;
import java.util.Optional;

/**
 * A bot's call to a phone number or SIP address is offered to the bridge, which calls out through the
 * trunk (see {@link Callees}). Only given out when a trunk is configured.
 */
final class SipGateway implements Gateway {

    private final String callbackUri;
    private final Duration ringing;

    SipGateway(String callbackUri, Duration ringing) {
        this.callbackUri = callbackUri;
        this.ringing = ringing;
    }

    @Override
    public Optional<Offer> offer(String tenantId, Party target) {
        boolean number = target.identity().get(IdentityKind.PHONE).filter(p -> !p.id().isBlank()).isPresent();
        boolean sip = target.identity().get(IdentityKind.GUEST).filter(g -> RedirectContacts.isSipUri(g.id())).isPresent();
        return number || sip ? Optional.of(new Offer(tenantId, SipBridge.APP_ID, target, callbackUri, true, Optional.of(ringing))) : Optional.empty();
    }
}
