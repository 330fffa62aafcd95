package dev.switchboard.sip;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the SIP bridge listens and routes.
 *
 * @param host           the address the UDP and TCP listeners bind to
 * @param port           UDP and TCP port ({@code 0}: any free port, for tests)
 * @param advertisedHost the address put in Contact headers and SDP, when callers must reach another
 *                       address than {@code host} (NAT, a bind to {@code 0.0.0.0})
 * @param nodeId         names this process in the callbackUri of the calls it places
 *                       ({@code switchboard-sip://<nodeId>}); stable across restarts
 * @param routes         request-URI → tenant and app, first match wins
 * @param outbound       the trunk for calls bots place to phone numbers and SIP addresses; absent, bots
 *                       can call apps only, and a redirect sends phone numbers on as {@code tel:} URIs
 * @param tls            a TLS listener besides UDP and TCP; absent, none
 * @param allowFrom      where new calls may come from; empty, anywhere. An INVITE from elsewhere gets 403
 */
public record SipConfig(String host, int port, Optional<String> advertisedHost, String nodeId, List<SipRoute> routes,
                        Optional<SipOutbound> outbound, Optional<SipTls> tls, List<SourceRange> allowFrom) {

    public SipConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(outbound, "outbound");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(advertisedHost, "advertisedHost");
        Objects.requireNonNull(nodeId, "nodeId");
        routes = List.copyOf(routes);
        allowFrom = List.copyOf(allowFrom);
        if (port < 0 || port > 65_535) throw new IllegalArgumentException("sip.port must be 0..65535");
        outbound.ifPresent(trunk -> requireListenerFor(trunk, tls.isPresent()));
        if (!nodeId.matches("[A-Za-z0-9.-]+")) {
            throw new IllegalArgumentException("sip.nodeId must be letters, digits, '.' and '-' only: " + nodeId);
        }
    }

    public SipConfig(String host, int port, Optional<String> advertisedHost, String nodeId, List<SipRoute> routes,
                     Optional<SipOutbound> outbound, Optional<SipTls> tls) {
        this(host, port, advertisedHost, nodeId, routes, outbound, tls, List.of());
    }

    public SipConfig(String host, int port, Optional<String> advertisedHost, String nodeId, List<SipRoute> routes) {
        this(host, port, advertisedHost, nodeId, routes, Optional.empty(), Optional.empty());
    }

    public static SipConfig of(String host, int port, List<SipRoute> routes) {
        return new SipConfig(host, port, Optional.empty(), "node-1", routes);
    }

    public SipConfig withOutbound(SipOutbound trunk) {
        return new SipConfig(host, port, advertisedHost, nodeId, routes, Optional.of(trunk), tls, allowFrom);
    }

    public SipConfig withTls(SipTls listener) {
        return new SipConfig(host, port, advertisedHost, nodeId, routes, outbound, Optional.of(listener), allowFrom);
    }

    /** The same bridge, taking new calls only from {@code ranges} (all of them, if empty). */
    public SipConfig withAllowFrom(List<SourceRange> ranges) {
        return new SipConfig(host, port, advertisedHost, nodeId, routes, outbound, tls, ranges);
    }

    /**
     * A trunk over TLS needs the bridge's own TLS listener: its requests go out from there, and its Via
     * and Contact name it.
     *
     * @throws IllegalArgumentException naming {@code sip.tls} if {@code trunk} is over TLS and there is no listener
     */
    public static void requireListenerFor(SipOutbound trunk, boolean tlsListener) {
        if (trunk.transport().equals("tls") && !tlsListener) {
            throw new IllegalArgumentException("missing value for 'sip.tls': a trunk over TLS ('sip.outbound.proxy')"
                    + " needs the bridge's own TLS listener and certificate");
        }
    }

    /** Whether a new call from {@code source} may ring a bot; one from an unknown source, only if any may. */
    public boolean admits(Optional<InetAddress> source) {
        return allowFrom.isEmpty() || source.filter(s -> allowFrom.stream().anyMatch(r -> r.contains(s))).isPresent();
    }

    /** The address callers are told to send media and in-dialog requests to. */
    public String contactHost() {
        return advertisedHost.orElse(host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host);
    }
}
