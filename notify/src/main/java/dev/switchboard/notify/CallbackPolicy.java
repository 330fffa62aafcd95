package dev.switchboard.notify;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which callback URIs Switchboard will POST notifications to: absolute {@code https}, or plain
 * {@code http} to this machine's loopback when insecure loopback is allowed (development). The check
 * never resolves names, so it is cheap and cannot be steered by DNS. Thread-safe.
 *
 * <pre>{@code
 * if (CallbackPolicy.check(uri, false) instanceof CallbackPolicy.Refused r) answer400(r.problem());
 * }</pre>
 */
public final class CallbackPolicy {

    /** The outcome of {@link #check}. */
    public sealed interface Verdict permits Deliverable, Refused {}

    public record Deliverable(URI uri) implements Verdict {}

    /** @param problem names what is wrong, fit for an error message to the bot's author */
    public record Refused(String problem) implements Verdict {}

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

    private final boolean allowInsecureLoopback;

    public CallbackPolicy(boolean allowInsecureLoopback) {
        this.allowInsecureLoopback = allowInsecureLoopback;
    }

    public Verdict check(String uri) {
        return check(uri, allowInsecureLoopback);
    }

    public Verdict check(URI uri) {
        return check(uri, allowInsecureLoopback);
    }

    public static Verdict check(String uri, boolean allowInsecureLoopback) {
        if (uri == null || uri.isBlank()) return new Refused("callbackUri is missing");
        try {
            return check(new URI(uri), allowInsecureLoopback);
        } catch (URISyntaxException e) {
            return new Refused("callbackUri is not a valid URI: " + e.getReason());
        }
    }

    public static Verdict check(URI uri, boolean allowInsecureLoopback) {
        if (!uri.isAbsolute()) return new Refused("callbackUri must be an absolute https URI");
        if (uri.isOpaque() || uri.getHost() == null || uri.getHost().isEmpty()) {
            return new Refused("callbackUri has no host");
        }
        if (uri.getRawUserInfo() != null) return new Refused("callbackUri must not carry user information");
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) return new Deliverable(uri);
        if (!scheme.equals("http")) return new Refused("callbackUri must use https, not " + scheme);
        if (!isLoopback(uri.getHost())) return new Refused("callbackUri must use https (http only to loopback)");
        if (!allowInsecureLoopback) {
            return new Refused("callbackUri must use https (http to loopback is allowed in development mode only)");
        }
        return new Deliverable(uri);
    }

    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("localhost.")) return true;
        if (IPV4_LOOPBACK.matcher(h).matches()) return true;
        if (h.startsWith("[") && h.endsWith("]")) {
            try {
                // An IPv6 literal: parsed, never looked up.
                return InetAddress.getByName(h.substring(1, h.length() - 1)).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
        return false;
    }
}
