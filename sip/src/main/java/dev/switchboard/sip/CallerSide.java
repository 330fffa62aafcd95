package dev.switchboard.sip;

import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.ResultInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sip.DialogState;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What the caller sees of its leg after the 100: 180 Ringing, 200 OK with the SDP answer and an
 * echoing RTP port, the final response of an unanswered leg, the BYE of an answered one. Every move
 * checks the leg's stage under the leg's monitor, so a late or repeated event sends nothing twice.
 */
final class CallerSide {

    private static final Logger log = LoggerFactory.getLogger(CallerSide.class);

    private final SipConfig config;
    private final SipWire wire;
    private final FinalResponseListener listener;
    private final KeptDialogs dialogs;

    CallerSide(SipConfig config, SipWire wire, FinalResponseListener listener, KeptDialogs dialogs) {
        this.config = config;
        this.wire = wire;
        this.listener = listener;
        this.dialogs = dialogs;
    }

    /** The callee has heard of the call. */
    void ring(SipLeg leg) {
        synchronized (leg) {
            if (leg.stage != SipLeg.Stage.OFFERED || leg.rang || leg.cancelled) return;
            leg.rang = true;
            try {
                leg.invite.sendResponse(wire.messages().response(leg.request, 180, leg.toTag));
            } catch (Exception e) {
                log.debug("could not send 180 for leg {}: {}", leg.legId, e.toString());
            }
        }
    }

    /** The callee answered. */
    void answer(SipLeg leg) {
        synchronized (leg) {
            if (leg.stage != SipLeg.Stage.OFFERED || leg.cancelled) return;
            try {
                RtpEcho media = new RtpEcho(config.host());
                leg.media = media;
                leg.answerSdp = Sdp.describe(leg.audio, config.contactHost(), media.port(),
                        ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2));
                // kept first: a node that dies before the 200 leaves no dialog it would owe a BYE
                dialogs.keep(leg.legId, KeptDialog.answering(leg.request, leg.toTag, SipMessages.transport(leg.request)));
                leg.invite.sendResponse(wire.messages().ok(leg.request, leg.toTag, leg.answerSdp));
                leg.dialog = leg.invite.getDialog();
                leg.stage = SipLeg.Stage.ANSWERED;
                sent(leg, 200);
            } catch (Exception e) {
                log.warn("could not answer SIP call of leg {}", leg.legId, e);
                leg.closeMedia();
            }
        }
    }

    /**
     * The caller leg is over, with its {@code resultInfo} and its targets as they were then: the final
     * response if none went out yet (a redirect's 302 names the targets the bot sent the caller to),
     * else a BYE.
     */
    void ended(SipLeg leg, int code, int subcode, List<Party> targets) {
        synchronized (leg) {
            if (leg.stage == SipLeg.Stage.OFFERED && code == ResultInfo.REDIRECTED.code()) {
                moved(leg, RedirectContacts.of(targets, config.outbound()));
            } else if (leg.stage == SipLeg.Stage.OFFERED) {
                finalResponse(leg, FinalResponse.forUnanswered(code, subcode, leg.responses));
            } else if (leg.stage == SipLeg.Stage.ANSWERED) {
                leg.stage = SipLeg.Stage.ENDED;
                leg.closeMedia();
                bye(leg);
            }
        }
    }

    /** Under the leg's monitor. */
    void finalResponse(SipLeg leg, FinalResponse outcome) {
        leg.stage = SipLeg.Stage.ENDED;
        try {
            leg.invite.sendResponse(wire.messages().failure(leg.request, outcome, leg.toTag));
            sent(leg, outcome.status());
        } catch (Exception e) {
            log.warn("could not send {} for leg {}", outcome.status(), leg.legId, e);
        }
    }

    /** Under the leg's monitor: the INVITE did not become a call the bot could decide on. */
    void refuse(SipLeg leg, int status) {
        leg.stage = SipLeg.Stage.ENDED;
        wire.send(leg.invite, leg.request, status, leg.toTag);
        sent(leg, status);
    }

    /** Under the leg's monitor. */
    private void moved(SipLeg leg, List<String> contacts) {
        leg.stage = SipLeg.Stage.ENDED;
        try {
            leg.invite.sendResponse(wire.messages().moved(leg.request, contacts, leg.toTag));
            sent(leg, 302);
        } catch (Exception e) {
            log.warn("could not send 302 for leg {}", leg.legId, e);
        }
    }

    private void sent(SipLeg leg, int status) {
        try {
            listener.sent(status, Duration.ofNanos(System.nanoTime() - leg.arrivedNanos));
        } catch (RuntimeException e) {
            log.warn("the final response listener failed", e);
        }
    }

    /** The ACK of our 200 came: a BYE held back for it can go now. */
    void acknowledged(SipLeg leg) {
        synchronized (leg) {
            if (leg.byeOwed) {
                leg.byeOwed = false;
                bye(leg);
            }
        }
    }

    /** Under the leg's monitor. A BYE before the ACK would be refused by the dialog (RFC 3261 15.1.1). */
    private void bye(SipLeg leg) {
        if (leg.dialog == null) return;
        if (leg.dialog.getState() != DialogState.CONFIRMED) {
            leg.byeOwed = true;
            return;
        }
        wire.bye(leg.dialog, leg.legId);
    }
}
