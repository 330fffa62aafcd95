package dev.switchboard.sip;

import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A TLS listener for SIP (RFC 3261 26.2.1, SIP over TLS on TCP): its port and the identity it presents,
 * which the server takes from its https certificate chain and key.
 *
 * @param port  the TLS port ({@code 0}: any free port, for tests); conventionally 5061
 * @param chain the certificate chain, the listener's own certificate first
 */
public record SipTls(int port, PrivateKey key, List<Certificate> chain) {

    public SipTls {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) throw new IllegalArgumentException("sip.tls needs a certificate");
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("bad value for 'sip.tls.port': must be 0..65535");
    }

    @Override
    public String toString() {
        return "SipTls[port=" + port + "]";  // never the key
    }
}
