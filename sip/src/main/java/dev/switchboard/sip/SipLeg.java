package dev.switchboard.sip;

import javax.sip.Dialog;
import javax.sip.ServerTransaction;
import javax.sip.message.Request;
import java.util.Map;
import java.util.Optional;

/**
 * One INVITE the bridge is answering: its server transaction, the caller leg it became, and how far
 * the SIP side got. Fields are guarded by the leg's own monitor; the SIP stack, the dispatcher and the
 * store's completions all reach it from their own threads.
 */
final class SipLeg {

    enum Stage {
        /** No final response sent yet. */
        OFFERED,
        /** 200 OK sent: the dialog is up (or waits for its ACK). */
        ANSWERED,
        /** A final non-2xx response or a BYE went out, or the caller's BYE came in. */
        ENDED
    }

    /** Call-ID and From tag: what CANCEL, ACK, BYE and a re-sent INVITE share with the INVITE. */
    final String key;
    final ServerTransaction invite;
    final Request request;
    final String toTag;
    final String tenantId;
    /** The negotiated audio, or empty when the INVITE carried no offer (the 200 OK then offers). */
    final Optional<Sdp.Audio> audio;
    /** The route's overrides of the final response per outcome. */
    final Map<String, Integer> responses;
    /** {@link System#nanoTime} when the INVITE reached the bridge. */
    final long arrivedNanos;

    String legId;
    String chainId;
    Stage stage = Stage.OFFERED;
    boolean rang;
    boolean cancelled;
    boolean byeOwed;
    Dialog dialog;
    RtpEcho media;
    String answerSdp;

    SipLeg(String key, ServerTransaction invite, Request request, String toTag, String tenantId,
           Optional<Sdp.Audio> audio, Map<String, Integer> responses, long arrivedNanos) {
        this.responses = responses;
        this.arrivedNanos = arrivedNanos;
        this.key = key;
        this.invite = invite;
        this.request = request;
        this.toTag = toTag;
        this.tenantId = tenantId;
        this.audio = audio;
    }

    void closeMedia() {
        if (media != null) media.close();
    }
}
