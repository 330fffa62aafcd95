package dev.switchboard.sip;

import javax.sip.ClientTransaction;
import javax.sip.Dialog;

/**
 * One INVITE the bridge sent for a bot's call to a phone number or SIP address: the offered leg it
 * stands in for, its client transaction and dialog, and how far the SIP side got. Fields are guarded by
 * the leg's own monitor; the stack's and the dispatcher's threads both reach it.
 */
final class CalleeLeg {

    enum Stage {
        /** INVITE sent, no final response yet. */
        CALLING,
        /** 200 OK came and was ACKed: the dialog is up. */
        ANSWERED,
        /** A failure response came, or the bridge CANCELed or sent BYE, or the callee's BYE came in. */
        ENDED
    }

    /** The offered leg owned by the bridge. */
    final String legId;
    final String tenantId;
    /** The SIP Call-ID of the INVITE: responses and the callee's BYE carry it. */
    final String callId;
    final RtpEcho media;

    ClientTransaction invite;
    Dialog dialog;
    Stage stage = Stage.CALLING;
    /** A provisional response came, so a CANCEL may go (RFC 3261 9.1). */
    boolean provisional;
    /** The call ended before any provisional response: CANCEL on the first one. */
    boolean cancelOwed;
    /** The INVITE was sent again with credentials; a second challenge is a refusal, not a question. */
    boolean answeredChallenge;

    CalleeLeg(String legId, String tenantId, String callId, RtpEcho media) {
        this.legId = legId;
        this.tenantId = tenantId;
        this.callId = callId;
        this.media = media;
    }
}
