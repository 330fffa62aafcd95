package dev.switchboard.sip;

import gov.nist.javax.sip.address.AddressFactoryImpl;

import javax.sip.address.SipURI;
import javax.sip.address.URI;
import java.text.ParseException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The trunk that reaches phone numbers and SIP addresses outside Switchboard: where the bridge sends
 * the INVITEs of calls that bots place to them, and the host a redirect's phone numbers are sent to.
 *
 * @param host      the proxy's host
 * @param port      its port
 * @param transport {@code udp} or {@code tcp}
 * @param from      the From URI of outbound INVITEs, e.g. {@code sip:switchboard@example.com}
 * @param ringing   how long a call placed through the trunk rings before it is cancelled; a phone
 *                  is not a bot, and is given {@link #DEFAULT_RINGING} rather than the 15-second rule
 * @param login     what the bridge answers the trunk's digest challenge (401 or 407) with, if it has one
 * @param register  if present, the bridge registers {@code from} with the trunk (RFC 3261 10), asking to
 *                  be kept that long, so that the trunk knows where to send calls for it; see
 *                  {@link TrunkRegistration}
 * @param trusted   over TLS, the certificates that the trunk's chain may end in besides the JDK's own
 *                  trusted authorities (a private CA, or the trunk's self-signed certificate)
 * @param keepAlive if present, how often the bridge asks the trunk an OPTIONS to see that it answers;
 *                  see {@link TrunkProbe}
 */
public record SipOutbound(String host, int port, String transport, String from, Duration ringing,
                          Optional<TrunkLogin> login, Optional<Duration> register, List<X509Certificate> trusted,
                          Optional<Duration> keepAlive) {

    /** A username and password the trunk knows the bridge by. Its text form leaves the password out. */
    public record TrunkLogin(String username, String password) {
        public TrunkLogin {
            if (username == null || username.isBlank()) {
                throw new IllegalArgumentException("missing value for 'sip.outbound.username': a password needs a username");
            }
            if (password == null) {
                throw new IllegalArgumentException("missing value for 'sip.outbound.password': a username needs a password");
            }
        }

        @Override
        public String toString() {
            return "TrunkLogin[username=" + username + ", password=…]";
        }
    }

    /** About as long as a phone network lets a call ring before it gives up itself. */
    public static final Duration DEFAULT_RINGING = Duration.ofSeconds(60);
    /** What a registration asks for when the operator does not say: an hour, as most trunks grant. */
    public static final Duration DEFAULT_REGISTER_EXPIRES = Duration.ofHours(1);

    public SipOutbound {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(ringing, "ringing");
        Objects.requireNonNull(login, "login");
        Objects.requireNonNull(register, "register");
        trusted = List.copyOf(trusted);
        Objects.requireNonNull(keepAlive, "keepAlive");
        if (keepAlive.isPresent() && keepAlive.get().toSeconds() < 1) {
            throw new IllegalArgumentException("bad value for 'sip.outbound.keepAlive': must be at least 1s");
        }
        if (register.isPresent() && register.get().toSeconds() < 1) {
            throw new IllegalArgumentException("bad value for 'sip.outbound.registerExpires': must be at least 1s");
        }
        if (ringing.isNegative() || ringing.isZero()) {
            throw new IllegalArgumentException("bad value for 'sip.outbound.ringingTimeout': must be positive");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("bad value for 'sip.outbound.proxy': port must be 1..65535");
        }
        if (!transport.equals("udp") && !transport.equals("tcp") && !transport.equals("tls")) {
            throw new IllegalArgumentException("bad value for 'sip.outbound.proxy': transport must be udp, tcp or tls, not "
                    + transport);
        }
    }

    /**
     * @param proxy a SIP URI such as {@code sip:trunk.example.com:5060;transport=udp} (port 5060 and udp
     *              when absent); {@code sips:trunk.example.com} or {@code ;transport=tls} for TLS (port 5061)
     * @param from  the From URI; {@code sip:switchboard@<proxy host>} when absent
     * @throws IllegalArgumentException naming the key at fault
     */
    public static SipOutbound parse(String proxy, Optional<String> from) {
        SipURI uri = sipUri(proxy, "sip.outbound.proxy");
        String transport = uri.isSecure() ? "tls"
                : uri.getTransportParam() == null ? "udp" : uri.getTransportParam().toLowerCase(Locale.ROOT);
        String fromUri = from.orElse("sip:switchboard@" + uri.getHost());
        sipUri(fromUri, "sip.outbound.from");
        int defaultPort = transport.equals("tls") ? 5061 : 5060;
        return new SipOutbound(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : defaultPort, transport, fromUri,
                DEFAULT_RINGING, Optional.empty(), Optional.empty(), List.of(), Optional.empty());
    }

    /** The same trunk, whose calls ring for {@code ringing} before they are cancelled. */
    public SipOutbound withRinging(Duration ringing) {
        return new SipOutbound(host, port, transport, from, ringing, login, register, trusted, keepAlive);
    }

    /** The same trunk, which challenges the bridge's INVITEs and is answered with {@code login}. */
    public SipOutbound withLogin(TrunkLogin login) {
        return new SipOutbound(host, port, transport, from, ringing, Optional.of(login), register, trusted, keepAlive);
    }

    /** The same trunk, with which the bridge registers {@code from}, asking to be kept for {@code expires}. */
    public SipOutbound withRegistration(Duration expires) {
        return new SipOutbound(host, port, transport, from, ringing, login, Optional.of(expires), trusted, keepAlive);
    }

    /** The same trunk, whose TLS certificate chain may also end in one of {@code certificates}. */
    public SipOutbound trusting(List<X509Certificate> certificates) {
        return new SipOutbound(host, port, transport, from, ringing, login, register, certificates, keepAlive);
    }

    /** The same trunk, asked an OPTIONS every {@code every} to see that it answers. */
    public SipOutbound probedEvery(Duration every) {
        return new SipOutbound(host, port, transport, from, ringing, login, register, trusted, Optional.of(every));
    }

    /** Where a redirect sends the caller for a phone number: through this trunk. */
    String numberUri(String number) {
        return "sip:" + number + "@" + host + ":" + port + ";user=phone" + (transport.equals("udp") ? "" : ";transport=" + transport);
    }

    private static SipURI sipUri(String text, String key) {
        try {
            URI uri = new AddressFactoryImpl().createURI(Objects.requireNonNull(text, key).strip());
            if (uri instanceof SipURI sip && sip.getHost() != null && !sip.getHost().isBlank()) return sip;
        } catch (ParseException e) {
            // answered below, naming the key
        }
        throw new IllegalArgumentException("bad value for '" + key + "': '" + text
                + "' is not a SIP URI such as sip:trunk.example.com:5060;transport=udp");
    }
}
