package dev.switchboard.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.api.GraphApi;
import dev.switchboard.api.auth.AccessTokens;
import dev.switchboard.api.auth.IdentityRoutes;
import dev.switchboard.api.calls.AppRateLimit;
import dev.switchboard.api.calls.CallRoutes;
import dev.switchboard.core.apps.App;
import dev.switchboard.core.apps.Directory;
import dev.switchboard.core.apps.Permission;
import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.CallMachine;
import dev.switchboard.core.calls.Gateway;
import dev.switchboard.core.calls.Deadlines;
import dev.switchboard.core.ids.TimeOrderedIds;
import dev.switchboard.core.store.CallCodec;
import dev.switchboard.core.store.CallHistory;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.RecentCallCodec;
import dev.switchboard.core.store.Retention;
import dev.switchboard.core.time.Clock;
import dev.switchboard.json.GraphCallCodec;
import dev.switchboard.notify.CallbackPolicy;
import dev.switchboard.notify.DeliveryListener;
import dev.switchboard.notify.Dispatcher;
import dev.switchboard.notify.DispatcherConfig;
import dev.switchboard.notify.LocalDelivery;
import dev.switchboard.server.config.ConfigException;
import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.server.keys.KeyRing;
import dev.switchboard.server.ops.NotificationMetrics;
import dev.switchboard.server.ops.OpsRoutes;
import dev.switchboard.server.ops.SipMetrics;
import dev.switchboard.server.tls.PemTls;
import dev.switchboard.sip.GroupHeaders;
import dev.switchboard.sip.SipBridge;
import dev.switchboard.sip.SipConfig;
import dev.switchboard.sip.SipOutbound;
import dev.switchboard.sip.SipTls;
import dev.switchboard.sip.SipRoute;
import dev.switchboard.store.postgres.PostgresCallStore;
import dev.switchboard.store.postgres.PostgresSettings;
import dev.switchboard.store.sqlite.SqliteCallStore;
import dev.switchboard.store.sqlite.SqliteHistory;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One running server: store, state machine, deadlines, notification delivery and the HTTP API,
 * wired from a configuration. The only place that knows every part.
 *
 * <pre>{@code
 * try (Switchboard sb = Switchboard.start(config, Clock.system())) {
 *     System.out.println(sb.baseUrl());
 * }
 * }</pre>
 */
public final class Switchboard implements AutoCloseable {

    /** About two seconds of legs written at 500 calls/s: long enough for a bot that rejects at once. */
    private static final int RECENT_LEGS = 2048;

    private final SwitchboardConfig config;
    private final Directory directory;
    private final CallStore store;
    private final Deadlines deadlines;
    private final GraphApi api;
    private final Optional<SipBridge> sip;
    private final List<AutoCloseable> opened;
    private final String baseUrl;
    private final KeyRing apiKeys;
    private final KeyRing notificationKeys;

    private Switchboard(SwitchboardConfig config, Directory directory, CallStore store, Deadlines deadlines,
                        GraphApi api, Optional<SipBridge> sip, List<AutoCloseable> opened, String baseUrl,
                        KeyRing apiKeys, KeyRing notificationKeys) {
        this.config = config;
        this.directory = directory;
        this.store = store;
        this.deadlines = deadlines;
        this.api = api;
        this.sip = sip;
        this.opened = List.copyOf(opened);
        this.baseUrl = baseUrl;
        this.apiKeys = apiKeys;
        this.notificationKeys = notificationKeys;
    }

    public static Switchboard start(SwitchboardConfig config, Clock clock) {
        Directory directory = directory(config);
        KeyRing apiKeys = KeyRing.open(config.dataDir().resolve("keys/api-signing.jwks"));
        KeyRing notificationKeys = KeyRing.open(config.dataDir().resolve("keys/notification-signing.jwks"));
        ObjectMapper mapper = new ObjectMapper();
        // a bot usually decides moments after its offer was written: that read then needs no parsing
        CallStore store = openStore(config, new RecentCallCodec(new GraphCallCodec(mapper), RECENT_LEGS), clock);
        List<AutoCloseable> opened = new ArrayList<>(List.of(store));
        try {
            // stored ids sort by creation, so the store's indexes grow at one end
            CallActions actions = new CallActions(store, new CallMachine(config.graph().answerTimeout(),
                    TimeOrderedIds::uuid, Set.of(SipBridge.APP_ID)), clock, TimeOrderedIds::uuid);
            Deadlines deadlines = new Deadlines(store, actions, clock).start();
            opened.add(deadlines);
            opened.add(new Retention(store, config.store().retention(), clock).start());
            PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            new JvmMemoryMetrics().bindTo(metrics);
            DispatcherConfig delivery = DispatcherConfig.defaults()
                    .withIssuer(config.notifications().issuer())
                    .withAllowInsecureLoopback(config.notifications().allowInsecureLoopback())
                    .withTrustedCertificates(config.notifications().trusted())
                    .withNode(config.node().id())
                    .withLease(config.node().deliveryLease());
            SipMetrics sipMetrics = new SipMetrics(metrics);
            Optional<SipBridge> sip = config.sipSettings()
                    .map(settings -> sipBridge(settings, config.node().id(), config.http(), directory, actions, sipMetrics, clock));
            sip.ifPresent(sipMetrics::watch);
            DeliveryListener metricsListener = new NotificationMetrics(metrics);
            // the bridge hears about deliveries (180 Ringing) and takes its legs' notifications in-process
            Dispatcher dispatcher = new Dispatcher(store, notificationKeys::current, clock, delivery,
                    sip.<DeliveryListener>map(b -> DeliveryListener.all(metricsListener, b)).orElse(metricsListener),
                    sip.<Map<String, LocalDelivery>>map(b -> Map.of(SipBridge.SCHEME, b)).orElse(Map.of()));
            dispatcher.start();
            opened.add(dispatcher);
            sip.ifPresent(b -> opened.add(b.start())); // after the dispatcher, so it is closed before it
            boolean https = config.http().tlsSettings().isPresent();
            // tokens name the base URL, which names the port: settle the port before listening
            int port = config.http().port() == 0 ? freePort(config.http().host()) : config.http().port();
            String baseUrl = config.graph().base()
                    .orElse((https ? "https://" : "http://") + urlHost(config.http().host()) + ":" + port);
            AccessTokens tokens = new AccessTokens(apiKeys, directory, clock, baseUrl);
            CallbackPolicy callbacks = new CallbackPolicy(config.notifications().allowInsecureLoopback());
            ExecutorService responses = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()),
                    daemon("switchboard-respond"));
            opened.add(responses::shutdownNow);
            CallRoutes calls = new CallRoutes(actions, store, directory, tokens,
                    uri -> callbacks.check(uri) instanceof CallbackPolicy.Refused r
                            ? Optional.of(r.problem()) : Optional.empty(), mapper, responses,
                    sip.map(SipBridge::gateway).orElse(Gateway.NONE),
                    config.graph().limit().map(l -> AppRateLimit.perApp(l.requestsPerSecond(), l.burst(), clock))
                            .orElse(AppRateLimit.NONE));
            IdentityRoutes identity = new IdentityRoutes(tokens, directory, apiKeys, notificationKeys, baseUrl,
                    config.notifications().issuer());
            GraphApi api = GraphApi.start(config.http().host(), port,
                    config.http().tlsSettings().map(t -> PemTls.serverContext(t.certificate(), t.privateKey())),
                    List.of(routes -> OpsRoutes.register(routes, store, metrics), identity::register, calls::register));
            opened.add(api);
            return new Switchboard(config, directory, store, deadlines, api, sip, opened, baseUrl, apiKeys, notificationKeys);
        } catch (RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /**
     * The store the configuration names: {@code store.kind: sqlite}, the file {@code switchboard.db}
     * under {@code dataDir}; or {@code postgres}, the database at {@code store.url} that several nodes
     * may share. Either is migrated to the current schema on opening.
     */
    public static CallStore openStore(SwitchboardConfig config, CallCodec codec, Clock clock) {
        SwitchboardConfig.Store store = config.store();
        if (SwitchboardConfig.Store.POSTGRES.equals(store.kind())) {
            return PostgresCallStore.open(new PostgresSettings(store.url(), store.user(), store.password(), store.pool()),
                    codec, clock);
        }
        return SqliteCallStore.open(sqliteFile(config), codec, clock);
    }

    /**
     * The configured store, only to read, beside the server that may be writing it: SQLite has one
     * writer per file, so this opens the file without taking it; PostgreSQL is shared by design.
     */
    public static CallHistory openHistory(SwitchboardConfig config, CallCodec codec) {
        if (SwitchboardConfig.Store.POSTGRES.equals(config.store().kind())) return openStore(config, codec, Clock.system());
        return SqliteHistory.open(sqliteFile(config), codec);
    }

    /** The embedded store's file under {@code dataDir}; meaningful when the store is SQLite. */
    public static Path sqliteFile(SwitchboardConfig config) {
        return config.dataDir().resolve("switchboard.db");
    }

    private static SipBridge sipBridge(SwitchboardConfig.Sip settings, String nodeId, SwitchboardConfig.Http http,
                                       Directory directory, CallActions actions, SipMetrics metrics, Clock clock) {
        try {
            // ConfigLoader.check has named any bad value by now; a configuration built in code is checked here
            Optional<SipOutbound> outbound = Optional.ofNullable(settings.outbound())
                    .map(SwitchboardConfig.SipOutboundEntry::trunk);
            Optional<SipTls> tls = Optional.ofNullable(settings.tls()).map(t -> {
                SwitchboardConfig.Tls pem = http.tlsSettings().orElseThrow(() -> new ConfigException(
                        "missing value for 'http.tls': sip.tls presents the https certificate and key"));
                PemTls.Identity identity = PemTls.identity(pem.certificate(), pem.privateKey());
                return new SipTls(t.port(), identity.key(), identity.chain());
            });
            return new SipBridge(new SipConfig(settings.host(), settings.port(),
                    Optional.ofNullable(settings.advertisedHost()), nodeId, settings.routes().stream()
                    .map(r -> new SipRoute(r.match(), r.tenant(), r.app(), r.responses(),
                            GroupHeaders.of(r.match(), r.groupHeaders()))).toList(), outbound, tls)
                    .withAllowFrom(settings.sources()), directory, actions, metrics, clock);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public int port() {
        return api.port();
    }

    /** The port SIP listens on (UDP and TCP), when {@code sip} is configured: the one it chose, for port 0. */
    public Optional<Integer> sipPort() {
        return sip.map(SipBridge::port);
    }

    public Directory directory() {
        return directory;
    }

    public CallStore store() {
        return store;
    }

    public SwitchboardConfig config() {
        return config;
    }

    /** Fires every deadline that is due by the clock now (tests that move a manual clock). */
    public int fireDueDeadlines() {
        return deadlines.fireDue();
    }

    public void rotateKeys() {
        apiKeys.rotate();
        notificationKeys.rotate();
    }

    @Override
    public void close() {
        closeAll(opened);
    }

    /** Closes in reverse order of opening: the listener first, the store last. */
    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                org.slf4j.LoggerFactory.getLogger(Switchboard.class).warn("closing {} failed", opened.get(i), e);
            }
        }
    }

    static Directory directory(SwitchboardConfig config) {
        List<App> apps = new ArrayList<>();
        for (SwitchboardConfig.Tenant t : config.tenants()) {
            for (SwitchboardConfig.AppEntry a : t.apps()) {
                apps.add(new App(t.id(), a.id(), a.name() != null ? a.name() : a.id(), a.secret(),
                        Optional.ofNullable(a.callbackUri()),
                        a.permissions().stream().map(r -> Permission.parse(r).orElseThrow()).collect(java.util.stream.Collectors.toSet())));
            }
        }
        return new Directory(apps);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** A listen address as it appears in this server's URLs (and so in the audience of its tokens). */
    public static String urlHost(String host) {
        if (host.equals("0.0.0.0") || host.equals("::")) return "localhost";
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static int freePort(String host) {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(host))) {
            return s.getLocalPort();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("no free port on " + host, e);
        }
    }
}
