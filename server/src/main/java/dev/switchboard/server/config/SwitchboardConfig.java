package dev.switchboard.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.switchboard.sip.SipOutbound;
import dev.switchboard.server.tls.PemTls;
import dev.switchboard.sip.SourceRange;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The one YAML file that configures a server. Absent keys take their defaults here; unknown keys and
 * bad values are refused by {@link ConfigLoader}, naming the key.
 */
public record SwitchboardConfig(
        Http http,
        Path dataDir,
        Graph graph,
        Notifications notifications,
        List<Tenant> tenants,
        Store store,
        Sip sip,
        Node node) {

    public SwitchboardConfig {
        http = http != null ? http : new Http(null, null, null);
        dataDir = dataDir != null ? dataDir : Path.of("data");
        graph = graph != null ? graph : new Graph(null, null);
        notifications = notifications != null ? notifications : new Notifications(null, null, null);
        tenants = tenants != null ? List.copyOf(tenants) : List.of();
        store = store != null ? store : Store.sqlite();
        // sip.nodeId named the node before the node section existed; it still does when node.id is absent
        node = node != null ? node : new Node(sip != null ? sip.nodeId() : null, null);
    }

    public SwitchboardConfig(Http http, Path dataDir, Graph graph, Notifications notifications, List<Tenant> tenants,
                             Store store, Sip sip) {
        this(http, dataDir, graph, notifications, tenants, store, sip, null);
    }

    /** On the embedded SQLite file, as before the {@code store} key existed, without SIP. */
    public SwitchboardConfig(Http http, Path dataDir, Graph graph, Notifications notifications, List<Tenant> tenants) {
        this(http, dataDir, graph, notifications, tenants, null, null, null);
    }

    public SwitchboardConfig(Http http, Path dataDir, Graph graph, Notifications notifications, List<Tenant> tenants,
                             Store store) {
        this(http, dataDir, graph, notifications, tenants, store, null, null);
    }

    public Optional<Sip> sipSettings() {
        return Optional.ofNullable(sip);
    }

    /**
     * The SIP listener; absent, the server takes no SIP calls.
     *
     * @param advertisedHost the host put in Contact and SDP when it differs from {@code host}
     * @param nodeId         the older name of {@code node.id}, used when that is absent
     * @param outbound       the trunk that calls bots place to phone numbers go through; absent, bots call apps only
     * @param tls            a SIP-over-TLS listener presenting the {@code http.tls} certificate; absent, none
     * @param allowFrom      address ranges (CIDR) new calls may come from; absent, anywhere
     */
    public record Sip(String host, Integer port, String advertisedHost, String nodeId, List<SipRouteEntry> routes,
                      SipOutboundEntry outbound, SipTlsEntry tls, List<String> allowFrom) {
        public Sip {
            host = host != null ? host : "127.0.0.1";
            port = port != null ? port : 5060;
            routes = routes != null ? List.copyOf(routes) : List.of();
            allowFrom = allowFrom != null ? List.copyOf(allowFrom) : List.of();
        }

        public Sip(String host, Integer port, String advertisedHost, String nodeId, List<SipRouteEntry> routes,
                   SipOutboundEntry outbound, SipTlsEntry tls) {
            this(host, port, advertisedHost, nodeId, routes, outbound, tls, null);
        }

        /** {@code allowFrom} as address ranges; empty, calls from anywhere. */
        public List<SourceRange> sources() {
            List<SourceRange> ranges = new java.util.ArrayList<>();
            for (int i = 0; i < allowFrom.size(); i++) {
                try {
                    ranges.add(SourceRange.parse(allowFrom.get(i)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bad value for 'sip.allowFrom[" + i + "]': " + e.getMessage());
                }
            }
            return ranges;
        }
    }

    /**
     * This server among the nodes that share a store.
     *
     * @param id            names the node in the store: its SIP legs and the calls it is delivering
     *                      notifications for. Unique per node and stable across its restarts; default
     *                      {@code node-1}
     * @param deliveryLease how long a call's notifications stay this node's to deliver without renewal,
     *                      so how soon another node takes over after this one dies; default 10 s
     */
    public record Node(String id, Duration deliveryLease) {
        public Node {
            id = id != null ? id : "node-1";
            deliveryLease = deliveryLease != null ? deliveryLease : Duration.ofSeconds(10);
        }
    }

    /**
     * Which app a SIP request-URI rings.
     *
     * @param responses    per-outcome status overrides, e.g. {@code {none: 486, forbidden: 607}}
     * @param groupHeaders renames of the headers that make an INVITE a group-call invitation, e.g.
     *                     {@code {threadId: X-Conf-Thread}} (keys threadId, messageId, joinUrl, joinMeetingId, passcode)
     */
    public record SipRouteEntry(String match, String tenant, String app, java.util.Map<String, Integer> responses,
                                java.util.Map<String, String> groupHeaders) {
        public SipRouteEntry {
            responses = responses != null ? java.util.Map.copyOf(responses) : java.util.Map.of();
            groupHeaders = groupHeaders != null ? java.util.Map.copyOf(groupHeaders) : java.util.Map.of();
        }

        public SipRouteEntry(String match, String tenant, String app, java.util.Map<String, Integer> responses) {
            this(match, tenant, app, responses, null);
        }
    }

    /**
     * The SIP trunk for outbound calls.
     *
     * @param proxy where outbound INVITEs go, e.g. {@code sip:trunk.example.com:5060;transport=udp}
     * @param from  their From URI; {@code sip:switchboard@<proxy host>} when absent
     * @param ringingTimeout how long a call through the trunk rings before it is cancelled; 60 s when absent
     * @param username       with {@code password}: the login the trunk's digest challenge is answered with
     * @param register        whether to register {@code from} with the trunk, so that it sends calls for it
     *                        here; false when absent
     * @param registerExpires how long a registration asks to be kept; an hour when absent
     * @param trustedCertificates a PEM file of certificates a TLS trunk's chain may end in, besides the
     *                            JDK's trusted authorities (relative to the configuration file)
     * @param keepAlive       how often to ask the trunk an OPTIONS to see that it answers; absent, never
     */
    public record SipOutboundEntry(String proxy, String from, Duration ringingTimeout, String username,
                                   String password, Boolean register, Duration registerExpires,
                                   Path trustedCertificates, Duration keepAlive) {
        public SipOutboundEntry {
            ringingTimeout = ringingTimeout != null ? ringingTimeout : SipOutbound.DEFAULT_RINGING;
            register = register != null ? register : Boolean.FALSE;
            registerExpires = registerExpires != null ? registerExpires : SipOutbound.DEFAULT_REGISTER_EXPIRES;
        }

        public SipOutboundEntry(String proxy, String from) {
            this(proxy, from, null, null, null, null, null, null, null);
        }

        /** @throws IllegalArgumentException naming the key at fault */
        public SipOutbound trunk() {
            SipOutbound trunk = SipOutbound.parse(proxy, Optional.ofNullable(from)).withRinging(ringingTimeout);
            if (username != null || password != null) trunk = trunk.withLogin(new SipOutbound.TrunkLogin(username, password));
            if (trustedCertificates != null) {
                trunk = trunk.trusting(PemTls.certificates(trustedCertificates, "sip.outbound.trustedCertificates"));
            }
            if (keepAlive != null) trunk = trunk.probedEvery(keepAlive);
            return register ? trunk.withRegistration(registerExpires) : trunk;
        }

        @Override
        public String toString() {
            return "SipOutboundEntry[proxy=" + proxy + ", from=" + from + ", ringingTimeout=" + ringingTimeout
                    + ", username=" + username + ", password=" + (password == null ? "none" : "…")
                    + ", register=" + register + ", registerExpires=" + registerExpires
                    + ", trustedCertificates=" + trustedCertificates + ", keepAlive=" + keepAlive + "]";
        }
    }

    /** @param port the TLS port, default 5061 */
    public record SipTlsEntry(Integer port) {
        public SipTlsEntry {
            port = port != null ? port : 5061;
        }
    }

    public record Http(String host, Integer port, Tls tls) {
        public Http {
            host = host != null ? host : "127.0.0.1";
            port = port != null ? port : 8080;
        }

        public Optional<Tls> tlsSettings() {
            return Optional.ofNullable(tls);
        }
    }

    public record Tls(Path certificate, Path privateKey) {}

    /**
     * @param baseUrl the address clients use for this server; defaults to the listener's own
     */
    public record Graph(String baseUrl, Duration answerTimeout, RateLimit rateLimit) {
        public Graph {
            answerTimeout = answerTimeout != null ? answerTimeout : Duration.ofSeconds(15);
        }

        public Graph(String baseUrl, Duration answerTimeout) {
            this(baseUrl, answerTimeout, null);
        }

        public Optional<String> base() {
            return Optional.ofNullable(baseUrl);
        }

        /** Absent: no app is throttled. */
        public Optional<RateLimit> limit() {
            return Optional.ofNullable(rateLimit);
        }
    }

    /**
     * How many calls-API requests each app may make: {@code requestsPerSecond} on average, and up to
     * {@code burst} at once (default: one second's worth). Requests over it get 429 with Retry-After.
     */
    public record RateLimit(Double requestsPerSecond, Integer burst) {
        public RateLimit {
            if (burst == null && requestsPerSecond != null) burst = (int) Math.max(1, Math.ceil(requestsPerSecond));
        }
    }

    public record Notifications(String issuer, Boolean allowInsecureLoopback, Path trustedCertificates) {
        public Notifications {
            issuer = issuer != null ? issuer : "https://api.botframework.com";
            allowInsecureLoopback = allowInsecureLoopback != null ? allowInsecureLoopback : false;
        }

        public Optional<Path> trusted() {
            return Optional.ofNullable(trustedCertificates);
        }
    }

    /**
     * Where calls are kept: {@code kind: sqlite} (the default), a file under {@code dataDir}; or
     * {@code kind: postgres} with {@code url}, {@code user}, {@code password} and {@code pool}
     * (connections, default 10), a database that several nodes may share. Under {@code sqlite} the
     * other keys are null.
     *
     * @param retention how long a call is kept once it has ended and its notifications are delivered;
     *                  default 7 days
     */
    public record Store(String kind, String url, String user, String password, Integer pool, Duration retention) {
        public static final String SQLITE = "sqlite";
        public static final String POSTGRES = "postgres";
        public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

        public Store {
            kind = kind != null ? kind : SQLITE;
            if (pool == null && POSTGRES.equals(kind)) pool = 10;
            retention = retention != null ? retention : DEFAULT_RETENTION;
        }

        public static Store sqlite() {
            return new Store(SQLITE, null, null, null, null, null);
        }

        public static Store postgres(String url, String user, String password, int pool) {
            return new Store(POSTGRES, url, user, password, pool, null);
        }

        /** The password stays out of logs. */
        @Override
        public String toString() {
            return "Store[kind=" + kind + ", url=" + url + ", user=" + user + ", pool=" + pool
                    + ", retention=" + retention + "]";
        }
    }

    public record Tenant(String id, List<AppEntry> apps) {
        public Tenant {
            apps = apps != null ? List.copyOf(apps) : List.of();
        }
    }

    public record AppEntry(String id, String name, String secret, String callbackUri,
                           @JsonProperty("permissions") List<String> permissions) {
        public AppEntry {
            permissions = permissions != null ? List.copyOf(permissions) : List.of();
        }
    }

    public SwitchboardConfig withDataDir(Path dir) {
        return new SwitchboardConfig(http, dir, graph, notifications, tenants, store, sip);
    }

    public SwitchboardConfig withHttp(Http h) {
        return new SwitchboardConfig(h, dataDir, graph, notifications, tenants, store, sip);
    }

    public SwitchboardConfig withGraph(Graph g) {
        return new SwitchboardConfig(http, dataDir, g, notifications, tenants, store, sip);
    }

    public SwitchboardConfig withNotifications(Notifications n) {
        return new SwitchboardConfig(http, dataDir, graph, n, tenants, store, sip);
    }

    public SwitchboardConfig withTenants(List<Tenant> t) {
        return new SwitchboardConfig(http, dataDir, graph, notifications, t, store, sip);
    }

    public SwitchboardConfig withStore(Store s) {
        return new SwitchboardConfig(http, dataDir, graph, notifications, tenants, s, sip, node);
    }

    public SwitchboardConfig withSip(Sip s) {
        return new SwitchboardConfig(http, dataDir, graph, notifications, tenants, store, s, node);
    }
}
