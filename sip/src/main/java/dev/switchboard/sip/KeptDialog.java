package dev.switchboard.sip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sip.Dialog;
import javax.sip.address.Address;
import javax.sip.header.CallIdHeader;
import javax.sip.header.ContactHeader;
import javax.sip.header.FromHeader;
import javax.sip.header.RecordRouteHeader;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.Optional;

/**
 * What ending an answered call's dialog takes when the SIP stack that held it is gone: the fields an
 * in-dialog request is built from (RFC 3261 12.2.1.1). The stack keeps its dialogs in memory only, so
 * the bridge keeps this in the store when a call is answered, and a restarted node sends the BYE
 * from it.
 *
 * @param transport {@code udp}, {@code tcp} or {@code tls}: how the dialog's requests went
 */
record KeptDialog(String callId, String localTag, String remoteTag, String localParty, String remoteParty,
                  String remoteTarget, List<String> routeSet, long localSeq, String transport) {

    private static final ObjectMapper JSON = new ObjectMapper();

    KeptDialog {
        routeSet = List.copyOf(routeSet);
    }

    /** The dialog as the stack holds it now; empty if it lacks what a request needs (no remote target yet). */
    static Optional<KeptDialog> of(Dialog dialog, String transport) {
        Address target = dialog.getRemoteTarget();
        if (target == null || dialog.getLocalParty() == null || dialog.getRemoteParty() == null) return Optional.empty();
        List<String> routes = new ArrayList<>();
        for (Iterator<?> i = dialog.getRouteSet(); i != null && i.hasNext(); ) {
            routes.add(((RouteHeader) i.next()).getAddress().toString());
        }
        return Optional.of(new KeptDialog(dialog.getCallId().getCallId(), dialog.getLocalTag(), dialog.getRemoteTag(),
                dialog.getLocalParty().toString(), dialog.getRemoteParty().toString(), target.getURI().toString(),
                routes, Math.max(0, dialog.getLocalSeqNumber()), transport));
    }

    /**
     * The dialog that the 200 to {@code invite} will confirm, as the callee (UAS) side sees it, built from
     * the INVITE before that 200 goes out (RFC 3261 12.1.1: the remote target is the INVITE's Contact,
     * the route set its Record-Route in order); empty if the INVITE has no Contact to send a BYE to.
     */
    static Optional<KeptDialog> answering(Request invite, String toTag, String transport) {
        ContactHeader contact = (ContactHeader) invite.getHeader(ContactHeader.NAME);
        FromHeader from = (FromHeader) invite.getHeader(FromHeader.NAME);
        ToHeader to = (ToHeader) invite.getHeader(ToHeader.NAME);
        if (contact == null || contact.getAddress() == null || from == null || to == null) return Optional.empty();
        List<String> routes = new ArrayList<>();
        for (ListIterator<?> i = invite.getHeaders(RecordRouteHeader.NAME); i.hasNext(); ) {
            routes.add(((RecordRouteHeader) i.next()).getAddress().toString());
        }
        return Optional.of(new KeptDialog(((CallIdHeader) invite.getHeader(CallIdHeader.NAME)).getCallId(), toTag,
                from.getTag(), to.getAddress().toString(), from.getAddress().toString(),
                contact.getAddress().getURI().toString(), routes, 0, transport));
    }

    String json() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Empty if {@code json} is not a dialog this bridge kept: it is then not ours to end. */
    static Optional<KeptDialog> parse(String json) {
        try {
            return Optional.of(JSON.readValue(json, KeptDialog.class));
        } catch (JsonProcessingException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
