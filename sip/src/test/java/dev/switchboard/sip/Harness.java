package dev.switchboard.sip;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.switchboard.core.apps.App;
import dev.switchboard.core.apps.Directory;
import dev.switchboard.core.apps.Permission;
import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallActions;
import dev.switchboard.core.calls.CallMachine;
import dev.switchboard.core.calls.Deadlines;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Offer;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.calls.PlaceCall;
import dev.switchboard.core.ids.RandomIds;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.json.GraphCallCodec;
import dev.switchboard.notify.DeliveryListener;
import dev.switchboard.notify.Dispatcher;
import dev.switchboard.notify.DispatcherConfig;
import dev.switchboard.store.sqlite.SqliteCallStore;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Switchboard in-process as the server wires it, minus HTTP: SQLite store, state machine, deadlines,
 * the notify dispatcher with the bridge as its local delivery, the bridge on a free port, a bot on a
 * real HTTP socket and a SIP phone to call with.
 */
final class Harness implements AutoCloseable {

    static final String TENANT = "tenant-1";
    static final String APP = "reception-bot";
    static final RSAKey KEY = key();

    final ManualClock clock = new ManualClock(Instant.parse("2026-11-26T17:00:00Z"));
    final CallStore store;
    final CallActions actions;
    final TestBot bot;
    final SipBridge bridge;
    final SipPhone phone;
    /** Every final response the bridge reported sending, in order. */
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final Deadlines deadlines;
    private final Dispatcher dispatcher;

    Harness(Path dir) throws Exception {
        this(dir, UnaryOperator.identity());
    }

    /** @param configure changes the bridge's configuration, e.g. to add an outbound trunk */
    Harness(Path dir, UnaryOperator<SipConfig> configure) throws Exception {
        this(dir, configure, UnaryOperator.identity());
    }

    /** @param writes wraps the store the calls' actions write through, e.g. to hold some commits back */
    Harness(Path dir, UnaryOperator<SipConfig> configure, UnaryOperator<CallStore> writes) throws Exception {
        store = SqliteCallStore.open(dir.resolve("switchboard.db"), new GraphCallCodec(), clock);
        actions = new CallActions(writes.apply(store), new CallMachine(Duration.ofSeconds(15), RandomIds::uuid, Set.of(SipBridge.APP_ID)),
                clock, RandomIds::uuid);
        deadlines = new Deadlines(store, actions, clock).start();
        bot = new TestBot(actions);
        Directory directory = new Directory(List.of(new App(TENANT, APP, "Reception", "secret",
                Optional.of(bot.url()), Set.of(Permission.CALLS_JOIN_GROUP_CALL))));
        bridge = new SipBridge(configure.apply(SipConfig.of("127.0.0.1", 0, List.of(
                new SipRoute("sip:reception@*", TENANT, APP),
                new SipRoute("sip:carrier@*", TENANT, APP, Map.of("none", 486, "forbidden", 607)),
                new SipRoute("+4930*", TENANT, APP)))), directory, actions,
                (status, sinceInvite) -> sent.add(new Sent(status, sinceInvite)), clock);
        dispatcher = new Dispatcher(store, () -> KEY, clock, DispatcherConfig.defaults().withAllowInsecureLoopback(true),
                DeliveryListener.all(bridge), Map.of(SipBridge.SCHEME, bridge));
        dispatcher.start();
        bridge.start();
        phone = new SipPhone(bridge.port());
    }

    /** What {@code POST /communications/calls} does for the bot calling {@code target}: the gateway's offer, placed. */
    Call placeThroughTrunk(Party target) {
        Offer offer = bridge.gateway().offer(TENANT, target).orElseThrow();
        return actions.place(new PlaceCall(TENANT, APP, bot.url(), SipCallTest.application(APP), List.of(target),
                List.of(offer), List.of(Modality.AUDIO), Optional.empty(), Optional.empty())).join();
    }

    @Override
    public void close() {
        phone.close();
        bridge.close();
        dispatcher.close();
        deadlines.close();
        bot.close();
        store.close();
    }

    private static RSAKey key() {
        try {
            return new RSAKeyGenerator(2048).keyID("test").generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the bridge's {@link FinalResponseListener} heard. */
    record Sent(int status, Duration sinceInvite) {}
}
