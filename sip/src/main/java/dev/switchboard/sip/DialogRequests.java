package dev.switchboard.sip;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.Dialog;
import javax.sip.RequestEvent;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;

/**
 * The life of an answered call's dialog: the caller's ACK (which may release a BYE we held back), the
 * caller's BYE, and a dialog the stack ended because no ACK ever came. The last two hang up the
 * caller leg.
 */
final class DialogRequests {

    private static final Logger log = LoggerFactory.getLogger(DialogRequests.class);

    private final SipLegs legs;
    private final SipWire wire;
    private final CallerSide caller;
    private final CallerHangups hangups;

    DialogRequests(SipLegs legs, SipWire wire, CallerSide caller, CallerHangups hangups) {
        this.legs = legs;
        this.wire = wire;
        this.caller = caller;
        this.hangups = hangups;
    }

    void ack(Request request) {
        SipLeg leg = legs.byKey(SipMessages.key(request));
        if (leg != null) caller.acknowledged(leg);
    }

    /** 200 for a leg that is over too: the caller's BYE may cross ours. */
    void bye(RequestEvent event) {
        ServerTransaction st = wire.transaction(event);
        if (st == null) return;
        SipLeg leg = legs.byKey(SipMessages.key(event.getRequest()));
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
        wire.send(st, event.getRequest(), status, null);
        if (hang) hangups.hangup(leg);
    }

    /** An answered call whose dialog died without a BYE (no ACK ever came) must not stay up for the bot. */
    void terminated(Dialog dialog) {
        String callId = dialog.getCallId().getCallId();
        // Only this dialog's own leg, found by key: the stack delivers this event on the thread that sent
        // the final response, which holds that leg's monitor; locking any other leg here would let two
        // threads ending two calls wait for each other (found by bench/sip.sh at 50 calls/s).
        String remoteTag = dialog.getRemoteTag();
        SipLeg leg = legs.byKey(callId + "/" + (remoteTag == null ? "" : remoteTag));
        if (leg == null) return;
        boolean hang;
        synchronized (leg) {
            hang = leg.dialog == dialog && leg.stage == SipLeg.Stage.ANSWERED;
            if (hang) {
                leg.stage = SipLeg.Stage.ENDED;
                leg.closeMedia();
            }
        }
        if (hang) {
            log.info("SIP dialog {} ended without BYE; hanging up leg {}", callId, leg.legId);
            hangups.hangup(leg);
        }
    }
}
