package dev.switchboard.sip;

import gov.nist.javax.sip.ClientTransactionExt;
import gov.nist.javax.sip.TlsSecurityPolicy;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.sip.address.SipURI;
import javax.sip.address.URI;
import javax.sip.header.RouteHeader;
import javax.sip.header.ToHeader;
import javax.sip.message.Request;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Checks that a TLS peer the bridge connected to is the host it meant to reach (RFC 5922 7): the
 * certificate's chain is already validated against the trust store by then; this matches the host of
 * the request's next hop (its top Route, else its Request-URI: the trunk for every request the bridge
 * starts) against the certificate's subjectAltName DNS names (a wildcard only as the whole leftmost
 * label) and IP addresses, or its CN when it has no subjectAltName. JAIN-SIP calls it once per new
 * connection, after the handshake; a {@link SecurityException} refuses the connection.
 *
 * <p>In-dialog requests (To has a tag) are not checked: they go to the far end's Contact, which its
 * certificate does not name, and over the connection the dialog began on when it is still open.
 */
public final class TrunkIdentityPolicy implements TlsSecurityPolicy {

    /**
     * Put on a transaction whose connection this policy refused: JAIN-SIP drops the exception and the
     * request with it, so {@link SipWire#start} looks for this to fail the request at once instead of
     * after Timer B.
     */
    record Refused(String reason) {}

    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    @Override
    public void enforceTlsPolicy(ClientTransactionExt transaction) throws SecurityException {
        Request request = transaction.getRequest();
        if (request == null) return;
        ToHeader to = (ToHeader) request.getHeader(ToHeader.NAME);
        if (to != null && to.getTag() != null) return;
        String host = nextHop(request);
        Certificate[] chain;
        try {
            chain = transaction.getPeerCertificates();
        } catch (SSLPeerUnverifiedException e) {
            throw refuse(transaction, "the TLS peer for " + host + " presented no certificate");
        }
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate peer)) {
            throw refuse(transaction, "the TLS peer for " + host + " presented no X.509 certificate");
        }
        if (!names(peer, host)) {
            throw refuse(transaction, "the TLS peer's certificate (" + peer.getSubjectX500Principal().getName()
                    + ") does not name " + host);
        }
    }

    private static SecurityException refuse(ClientTransactionExt transaction, String reason) {
        transaction.setApplicationData(new Refused(reason));
        return new SecurityException(reason);
    }

    private static String nextHop(Request request) {
        RouteHeader route = (RouteHeader) request.getHeader(RouteHeader.NAME);
        URI uri = route != null ? route.getAddress().getURI() : request.getRequestURI();
        if (uri instanceof SipURI sip) return sip.getHost();
        throw new SecurityException("no host to check the TLS peer against in " + uri);
    }

    /** Whether {@code certificate} names {@code host}: RFC 6125 rules, as RFC 5922 7.2 asks. */
    static boolean names(X509Certificate certificate, String host) {
        String wanted = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        boolean literal = isAddressLiteral(wanted);
        Collection<List<?>> alternatives;
        try {
            alternatives = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (alternatives != null && !alternatives.isEmpty()) {
            for (List<?> name : alternatives) {
                int type = (Integer) name.get(0);
                String value = String.valueOf(name.get(1));
                if (literal && type == IP_ADDRESS && sameAddress(value, wanted)) return true;
                if (!literal && type == DNS_NAME && dnsMatches(value, wanted)) return true;
            }
            return false;
        }
        return !literal && commonName(certificate).map(cn -> dnsMatches(cn, wanted)).orElse(false);
    }

    static boolean dnsMatches(String pattern, String host) {
        String p = pattern.toLowerCase(Locale.ROOT);
        String h = host.toLowerCase(Locale.ROOT);
        if (h.endsWith(".")) h = h.substring(0, h.length() - 1);
        if (!p.startsWith("*.")) return p.equals(h);
        int dot = h.indexOf('.');
        return dot > 0 && h.substring(dot).equals(p.substring(1)) && p.indexOf('.', 2) > 0;
    }

    private static boolean isAddressLiteral(String host) {
        return host.contains(":") || host.matches("[0-9]+(\\.[0-9]+){3}");
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // literals only: getByName parses them without a lookup
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static java.util.Optional<String> commonName(X509Certificate certificate) {
        try {
            for (Rdn rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) return java.util.Optional.of(String.valueOf(rdn.getValue()));
            }
        } catch (InvalidNameException e) {
            // no usable subject: no name
        }
        return java.util.Optional.empty();
    }
}
