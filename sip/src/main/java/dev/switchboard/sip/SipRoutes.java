package dev.switchboard.sip;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Finds the route of a request-URI: the first rule that matches wins. A pattern that contains a
 * {@code :} is matched against the whole URI as {@code scheme:user@host} (no port, no parameters;
 * {@code tel:number} for a tel URI); any other pattern against the user part (or the number) alone.
 * Matching ignores case. Thread-safe.
 *
 * <pre>{@code
 * SipRoutes routes = new SipRoutes(List.of(new SipRoute("sip:reception@*", "tenant-1", "app-1")));
 * routes.route("sip", "reception", "pbx.example.com");   // the route
 * routes.route("sip", "sales", "pbx.example.com");       // empty: answered 404
 * }</pre>
 */
public final class SipRoutes {

    private record Rule(SipRoute route, Pattern pattern, boolean wholeUri) {}

    private final List<Rule> rules = new ArrayList<>();

    public SipRoutes(List<SipRoute> routes) {
        for (SipRoute r : routes) rules.add(new Rule(r, glob(r.match()), r.match().contains(":")));
    }

    public List<SipRoute> routes() {
        return rules.stream().map(Rule::route).toList();
    }

    /**
     * @param scheme {@code sip}, {@code sips} or {@code tel}
     * @param user   the user part, or the number of a tel URI; empty when the URI has none
     * @param host   the host, empty for a tel URI
     */
    public Optional<SipRoute> route(String scheme, String user, String host) {
        String whole = scheme + ":" + (host.isEmpty() ? user : (user.isEmpty() ? host : user + "@" + host));
        for (Rule rule : rules) {
            if (rule.pattern.matcher(rule.wholeUri ? whole : user).matches()) return Optional.of(rule.route);
        }
        return Optional.empty();
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*' || c == '?') {
                if (literal.length() > 0) regex.append(Pattern.quote(literal.toString()));
                literal.setLength(0);
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (literal.length() > 0) regex.append(Pattern.quote(literal.toString()));
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }
}
