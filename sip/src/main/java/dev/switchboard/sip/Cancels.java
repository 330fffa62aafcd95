package dev.switchboard.sip;

import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;

/**
 * A CANCEL before the final response: 200 to the CANCEL at once, then a hang-up of the caller leg,
 * whose outcome decides between 487 and the bot's decision if that came first. A CANCEL that arrives
 * before the place completed is remembered on the leg and applied once it is bound.
 */
final class Cancels {

    private final SipLegs legs;
    private final SipWire wire;
    private final CallerHangups hangups;

    Cancels(SipLegs legs, SipWire wire, CallerHangups hangups) {
        this.legs = legs;
        this.wire = wire;
        this.hangups = hangups;
    }

    void cancel(RequestEvent event) {
        ServerTransaction st = wire.transaction(event);
        if (st == null) return;
        SipLeg leg = legs.byKey(SipMessages.key(event.getRequest()));
        if (leg == null) {
            wire.send(st, event.getRequest(), 481, null);
            return;
        }
        wire.send(st, event.getRequest(), 200, null);
        boolean hangupNow;
        synchronized (leg) {
            if (leg.stage != SipLeg.Stage.OFFERED || leg.cancelled) return;
            leg.cancelled = true;
            hangupNow = leg.legId != null;
        }
        if (hangupNow) hangups.hangup(leg);
    }
}
