package dev.switchboard.sip;

import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentityKind;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.Party;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who calls, as Graph shows it in a call's {@code source}, from the SIP {@code From} header:
 * <ul>
 *   <li>a {@code tel:} URI, or a SIP URI whose user part is a number ({@code sip:+4930123@trunk},
 *       {@code sip:0301234;user=phone@pbx}; visual separators {@code -.()} and spaces dropped) →
 *       a {@code phone} identity with the number as its id;</li>
 *   <li>anything else ({@code sip:alice@example.com}, {@code sip:anonymous@anonymous.invalid}) → a
 *       {@code guest} identity whose id is the URI as {@code sip:user@host} (no parameters, no port).</li>
 * </ul>
 * The From display name, when there is one, is the identity's {@code displayName}. Neither carries a
 * tenant: a SIP caller belongs to none.
 */
public final class CallerIdentity {

    private static final Pattern NUMBER = Pattern.compile("\\+?[0-9*#]{2,32}");
    private static final Pattern SEPARATORS = Pattern.compile("[-.() ]");

    private CallerIdentity() {
    }

    /**
     * @param scheme      {@code sip}, {@code sips} or {@code tel}
     * @param user        the user part (or the number of a tel URI); may be empty
     * @param host        empty for a tel URI
     * @param userIsPhone whether the URI says {@code user=phone}
     */
    public static Party party(String scheme, String user, String host, boolean userIsPhone, Optional<String> displayName) {
        Optional<String> name = displayName.map(String::strip).filter(n -> !n.isEmpty());
        String digits = SEPARATORS.matcher(user).replaceAll("");
        boolean tel = scheme.equalsIgnoreCase("tel");
        if ((tel || userIsPhone || !digits.isEmpty()) && NUMBER.matcher(digits).matches()) {
            return Party.of(IdentitySet.of(new Identity(IdentityKind.PHONE, digits, name, Optional.empty())));
        }
        String uri = tel ? "tel:" + user
                : scheme.toLowerCase(java.util.Locale.ROOT) + ":" + (user.isEmpty() ? host : user + "@" + host);
        return Party.of(IdentitySet.of(new Identity(IdentityKind.GUEST, uri, name.or(() -> Optional.of(user))
                .filter(n -> !n.isEmpty()), Optional.empty())));
    }
}
