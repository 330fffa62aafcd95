package dev.switchboard.sip;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.sip.Dialog;
import javax.sip.address.Address;
import javax.sip.header.RouteHeader;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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
