package dev.switchboard.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.TimelineEntry;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs Switchboard inside a JUnit 5 test: in-process, on a free port, with a fresh SQLite store in a
 * temporary directory and a {@link ManualClock} — nothing rings out unless the test {@link #advance}s it.
 * One tenant holds a caller app and the bot apps the test declares, each with every calls permission.
 *
 * <pre>{@code
 * @RegisterExtension
 * final SwitchboardExtension sb = SwitchboardExtension.create(setup -> setup.bot("reception"));
 *
 * @Test
 * void ringsOutAfter15Seconds() {
 *     PlacedCall call = sb.placeCall("reception");
 *     sb.advance(Duration.ofSeconds(15));
 *     assertEquals(408, call.awaitEnded().code());
 * }
 * }</pre>
 *
 * <p>As an instance field the server is fresh for every test; as a {@code static} field it is shared by
 * the class. With {@code @ExtendWith(SwitchboardExtension.class)} it declares one bot named {@code "bot"}
 * and is injected as a test-method parameter. The server's API checks tokens, and signs notification
 * tokens, with the manual clock; give your bot {@link #instantSource()} as its clock. Apps are fixed when
 * the server starts, so declare their callbacks up front (or take the free port each declared bot gets).
 * Thread-safe once started.
 */
public final class SwitchboardExtension implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback, ParameterResolver {

    static final String CALLER = "caller";

    private final SwitchboardSetup setup;
    private boolean perClass;
    private Running running;

    /** What one started server holds; replaced as a whole at each start. */
    private record Running(Switchboard server, ManualClock clock, Path dataDir, Map<String, TestApp> apps,
                           CallerInbox inbox, GraphHttp http) {}

    /** For {@code @ExtendWith}: a caller and one bot app named {@code "bot"}. */
    public SwitchboardExtension() {
        this(new SwitchboardSetup().bot("bot"));
    }

    private SwitchboardExtension(SwitchboardSetup setup) {
        this.setup = setup;
    }

    /** An extension whose server holds what {@code setup} declares (besides the caller app). */
    public static SwitchboardExtension create(Consumer<SwitchboardSetup> setup) {
        SwitchboardSetup s = new SwitchboardSetup();
        setup.accept(s);
        return new SwitchboardExtension(s);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) stop();
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        return p.getParameter().getType() == SwitchboardExtension.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        return this;
    }

    /** Starts the server now (the extension does it before each test or class). */
    public synchronized void start() {
        if (running != null) return;
        try {
            Path dataDir = Files.createTempDirectory("switchboard-testkit");
            KeySeed.into(dataDir);
            ManualClock clock = new ManualClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
            String tenant = UUID.randomUUID().toString();
            CallerInbox inbox = new CallerInbox();
            Map<String, TestApp> apps = new LinkedHashMap<>();
            apps.put(CALLER, app(tenant, CALLER, inbox.url()));
            setup.bots.forEach((name, uri) -> apps.put(name, app(tenant, name,
                    uri != null ? uri : "http://127.0.0.1:" + Ports.free() + "/api/calling")));
            Path file = Files.writeString(dataDir.resolve("switchboard.yaml"),
                    ConfigYaml.of(tenant, apps.values(), setup.answerTimeout, setup.issuer));
            SwitchboardConfig config = ConfigLoader.load(file);
            Switchboard server = Switchboard.start(config, clock);
            running = new Running(server, clock, dataDir, Map.copyOf(apps), inbox, new GraphHttp(server.baseUrl()));
            running.http().token(apps.get(CALLER));   // so that placing the first call is one request
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test server", e);
        }
    }

    /** Stops the server and deletes its store (the extension does it after each test or class). */
    public synchronized void stop() {
        Running r = running;
        running = null;
        if (r == null) return;
        try {
            r.server().close();
        } finally {
            r.inbox().close();
            deleteRecursively(r.dataDir());
        }
    }

    private Running running() {
        Running r = running;
        if (r == null) throw new IllegalStateException("the test server is not running (is the extension registered?)");
        return r;
    }

    /** Where the API is served, e.g. {@code http://127.0.0.1:54321}; give it to {@code config.useSwitchboard}. */
    public String baseUrl() {
        return running().server().baseUrl();
    }

    public String tenantId() {
        return caller().tenantId();
    }

    /** The app that places calls. */
    public TestApp caller() {
        return app(CALLER);
    }

    /** A declared app by name. */
    public TestApp app(String name) {
        TestApp app = running().apps().get(name);
        if (app == null) throw new IllegalArgumentException("no app named " + name + "; declared: " + running().apps().keySet());
        return app;
    }

    /** The server's clock. Prefer {@link #advance}, which also fires the deadlines due. */
    public ManualClock clock() {
        return running().clock();
    }

    /** The server's clock as a {@code java.time} source, for a bot's {@code config.clock}. */
    public InstantSource instantSource() {
        ManualClock clock = clock();
        return clock::now;
    }

    public Instant now() {
        return clock().now();
    }

    /**
     * Moves the clock forward and fires every answer deadline now due before returning (the server's own
     * deadline sweep, woken by the jump, may fire some of them first; either way each call times out once).
     */
    public void advance(Duration by) {
        running().clock().advance(by);
        running().server().fireDueDeadlines();
    }

    /** Places a peer-to-peer call from the caller app to the app named {@code botName}, through the public API. */
    public PlacedCall placeCall(String botName) {
        return place(CallBodies.p2p(app(botName), running().inbox().url()));
    }

    /** Places an invitation to a group call: {@code chatInfo} with {@code threadId}, an organizer meeting. */
    public PlacedCall inviteToGroupCall(String botName, String threadId, String organizerUserId) {
        return place(CallBodies.groupInvitation(app(botName), running().inbox().url(), threadId, organizerUserId));
    }

    private PlacedCall place(com.fasterxml.jackson.databind.node.ObjectNode body) {
        JsonNode created = running().http().create(caller(), body);
        GraphHttp http = running().http();
        TestApp caller = caller();
        return new PlacedCall(created.path("id").asText(), created.path("callChainId").asText(), store(),
                id -> http.delete(caller, id));
    }

    /** A call leg as the server stores it. */
    public Optional<dev.switchboard.core.calls.Call> call(String callId) {
        return store().find(callId);
    }

    /** Every transition and notification of one leg, oldest first. */
    public List<TimelineEntry> timeline(String callId) {
        return store().timeline(callId);
    }

    /** GET {@code /v1.0/communications/calls/{id}} as {@code app}: the Graph JSON (status 200 expected). */
    public String fetch(TestApp app, String callId) {
        var r = running().http().get(app, callId);
        if (r.statusCode() != 200) throw new AssertionError("GET call " + callId + " as " + app.name() + ": " + r.statusCode() + " " + r.body());
        return r.body();
    }

    /** An access token for {@code app} from the server's token endpoint. */
    public String accessToken(TestApp app) {
        return running().http().token(app);
    }

    /** The notification bodies the caller app received so far. */
    public List<String> callerNotifications() {
        return running().inbox().bodies();
    }

    public CallStore store() {
        return running().server().store();
    }

    /** The server itself, for what this handle does not cover (rotating keys, ...). */
    public Switchboard server() {
        return running().server();
    }

    private static TestApp app(String tenant, String name, String callbackUri) {
        return new TestApp(name, tenant, UUID.randomUUID().toString(), "secret-" + UUID.randomUUID(), callbackUri);
    }

    private static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            List<Path> all = new ArrayList<>(paths.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException e) {
            // a temporary directory left behind is not worth failing a test
        }
    }
}
