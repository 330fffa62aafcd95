package dev.switchboard.sip;

import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.Party;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The Contacts of the 302 a SIP caller gets when its bot redirects it to phone numbers or SIP
 * addresses, one per target in the bot's order: a SIP address as it is; a phone number through the
 * configured outbound trunk ({@code sip:<number>@<trunk>;user=phone}), since that is where Switchboard
 * knows numbers are reachable, or as a {@code tel:} URI (RFC 3966) when no trunk is configured.
 */
final class RedirectContacts {

    private RedirectContacts() {
    }

    static List<String> of(List<Party> targets, Optional<SipOutbound> trunk) {
        List<String> contacts = new ArrayList<>();
        for (Party target : targets) {
            Optional<Identity> phone = target.identity().get(IdentityKind.PHONE);
            Optional<Identity> sip = target.identity().get(IdentityKind.GUEST).filter(g -> isSipUri(g.id()));
            if (phone.isPresent()) {
                String number = phone.get().id().replaceAll("[-.() ]", "");
                contacts.add(trunk.map(t -> t.numberUri(number)).orElse("tel:" + number));
            } else {
                sip.ifPresent(g -> contacts.add(g.id()));
            }
        }
        return contacts;
    }

    static boolean isSipUri(String id) {
        String lower = id.toLowerCase(Locale.ROOT);
        return lower.startsWith("sip:") || lower.startsWith("sips:");
    }
}
