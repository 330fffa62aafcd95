package dev.switchboard.notify;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link Dispatcher} delivers. Start from {@link #defaults()}:
 *
 * <pre>{@code
 * DispatcherConfig config = DispatcherConfig.defaults()
 *         .withAllowInsecureLoopback(devMode)
 *         .withTrustedCertificates(Optional.of(Path.of("/etc/switchboard/bots-ca.pem")));
 * }</pre>
 *
 * @param issuer                the {@code iss} of delivery tokens
 * @param allowInsecureLoopback whether plain {@code http} to loopback callbacks is allowed (development)
 * @param trustedCertificates   a PEM file of CA certificates trusted besides the JDK's defaults
 * @param concurrency           deliveries in flight at most, across all calls
 * @param rescanInterval        how often the whole outbox is read again for anything missed
 * @param maxQueued             notifications held in memory at most; the rest wait in the outbox
 * @param node                  this node's name in the outbox's delivery leases, and the authority of
 *                              its internal callbacks ({@code switchboard-sip://node-1})
 * @param lease                 how long a call stays this node's to deliver without being renewed: a
 *                              node that dies holding calls is replaced this long after its last renewal
 */
public record DispatcherConfig(
        String issuer,
        boolean allowInsecureLoopback,
        Optional<Path> trustedCertificates,
        int concurrency,
        Duration rescanInterval,
        int maxQueued,
        String node,
        Duration lease) {

    public DispatcherConfig {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(trustedCertificates, "trustedCertificates");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be at least 1");
        if (rescanInterval.isNegative() || rescanInterval.isZero()) {
            throw new IllegalArgumentException("rescanInterval must be positive");
        }
        if (maxQueued < concurrency) throw new IllegalArgumentException("maxQueued must be at least concurrency");
        Objects.requireNonNull(node, "node");
        if (!node.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw new IllegalArgumentException("node must be letters, digits, '.', '_' or '-': " + node);
        }
        if (lease.compareTo(Duration.ofSeconds(1)) < 0) throw new IllegalArgumentException("lease must be at least 1 s");
    }

    public static DispatcherConfig defaults() {
        return new DispatcherConfig(NotificationSigner.DEFAULT_ISSUER, false, Optional.empty(), 64,
                Duration.ofSeconds(1), 20_000, "node-1", Duration.ofSeconds(10));
    }

    public DispatcherConfig withIssuer(String issuer) {
        return new DispatcherConfig(issuer, allowInsecureLoopback, trustedCertificates, concurrency, rescanInterval, maxQueued, node, lease);
    }

    public DispatcherConfig withAllowInsecureLoopback(boolean allow) {
        return new DispatcherConfig(issuer, allow, trustedCertificates, concurrency, rescanInterval, maxQueued, node, lease);
    }

    public DispatcherConfig withTrustedCertificates(Optional<Path> pemFile) {
        return new DispatcherConfig(issuer, allowInsecureLoopback, pemFile, concurrency, rescanInterval, maxQueued, node, lease);
    }

    public DispatcherConfig withConcurrency(int concurrency) {
        return new DispatcherConfig(issuer, allowInsecureLoopback, trustedCertificates, concurrency, rescanInterval,
                Math.max(maxQueued, concurrency), node, lease);
    }

    public DispatcherConfig withRescanInterval(Duration interval) {
        return new DispatcherConfig(issuer, allowInsecureLoopback, trustedCertificates, concurrency, interval, maxQueued, node, lease);
    }

    public DispatcherConfig withMaxQueued(int maxQueued) {
        return new DispatcherConfig(issuer, allowInsecureLoopback, trustedCertificates, concurrency, rescanInterval, maxQueued, node, lease);
    }

    public DispatcherConfig withNode(String node) {
        return new DispatcherConfig(issuer, allowInsecureLoopback, trustedCertificates, concurrency, rescanInterval,
                maxQueued, node, lease);
    }

    public DispatcherConfig withLease(Duration lease) {
        return new DispatcherConfig(issuer, allowInsecureLoopback, trustedCertificates, concurrency, rescanInterval,
                maxQueued, node, lease);
    }
}
