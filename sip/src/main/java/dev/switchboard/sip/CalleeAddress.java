package dev.switchboard.sip;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Optional;

/**
 * Whom a bot's call to a party outside Switchboard is for: a phone number or a SIP address, as the
 * offered leg's target names it ({@code phone}, or a {@code guest} with a {@code sip:} id).
 */
record CalleeAddress(String value, boolean isNumber) {

    /** The request-URI that reaches the callee through {@code trunk}. */
    String uri(SipOutbound trunk) {
        return isNumber ? trunk.numberUri(value) : value;
    }

    /** From the first target of a leg's Graph JSON; empty when it names neither. */
    static Optional<CalleeAddress> of(JsonNode call) {
        JsonNode identity = call.path("targets").path(0).path("identity");
        String number = identity.path("phone").path("id").asText("").replaceAll("[-.() ]", "");
        if (!number.isEmpty()) return Optional.of(new CalleeAddress(number, true));
        String guest = identity.path("guest").path("id").asText("");
        return RedirectContacts.isSipUri(guest) ? Optional.of(new CalleeAddress(guest, false)) : Optional.empty();
    }
}
