package dev.switchboard.sip;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.CallWrites;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sip.message.Request;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An answered call's dialog is in the store before the message that confirms it leaves: our 200 to a
 * caller, our ACK to a callee's 200. A node that died in between would otherwise owe a BYE it could not
 * send after its restart. The write that keeps the dialog is held back here, as a slow commit would be.
 */
class DialogKeptFirstTest {

    /** Completes the held commit of the dialog. */
    final CompletableFuture<Void> keptCommitted = new CompletableFuture<>();
    final AtomicBoolean keepAsked = new AtomicBoolean();

    @Test
    void theCallersTwoHundredWaitsForTheDialogToBeKept(@TempDir Path dir) throws Exception {
        try (Harness h = new Harness(dir, c -> c, this::holdingKeptDialogs)) {
            h.bot.decides(TestBot::answer);
            SipPhone.Attempt call = h.phone.call("reception");

            await().untilTrue(keepAsked);
            Thread.sleep(300);  // what must not happen takes a while to not happen
            assertThat(call.statuses()).as("no 200 while the dialog's commit is pending").allMatch(status -> status < 200);

            keptCommitted.complete(null);
            assertThat(call.awaitFinal().getStatusCode()).isEqualTo(200);
            String callerLeg = h.store.held(SipBridge.APP_ID, CallState.ESTABLISHED, 10)
                    .get(0).id();
            assertThat(h.store.dialog(callerLeg)).as("kept by the time the 200 arrived").isPresent();
        }
    }

    @Test
    void theCalleesTwoHundredIsAckedOnlyOnceTheDialogIsKept(@TempDir Path dir) throws Exception {
        try (SipTrunk trunk = new SipTrunk();
             Harness h = new Harness(dir, c -> c.withOutbound(SipOutbound.parse(
                     "sip:127.0.0.1:" + trunk.port() + ";transport=udp", Optional.empty())), this::holdingKeptDialogs)) {
            Call call = h.placeThroughTrunk(SipCallTest.phone("+4940555"));
            SipTrunk.Incoming in = trunk.awaitInvite();
            in.respond(200);

            await().untilTrue(keepAsked);
            Thread.sleep(300);
            assertThat(in.after).as("no ACK while the dialog's commit is pending").isEmpty();

            keptCommitted.complete(null);
            in.awaitRequest(Request.ACK);
            assertThat(h.bot.awaitSeen(call.id(), "updated").state()).isEqualTo("established");
        }
    }

    @Test
    void aStoreThatNeverAnswersCostsTheByeAfterARestartNotTheCall(@TempDir Path dir) throws Exception {
        try (Harness h = new Harness(dir, c -> c, this::holdingKeptDialogs)) {
            h.bot.decides(TestBot::answer);
            SipPhone.Attempt call = h.phone.call("reception");

            // the commit is never released: the 200 goes out once the bounded wait is over
            assertThat(call.awaitFinal(KeptDialogs.KEEP_WAIT.plus(Duration.ofSeconds(5))).getStatusCode()).isEqualTo(200);
        }
    }

    /**
     * The crash window itself: the node dies after the answer is stored, before its 200 went out. The
     * caller, who never got a 200, sends its INVITE again to the restarted node and gets a final answer
     * that is not a 200; the call is over in the store, once.
     */
    @Test
    void aNodeThatDiesBeforeItsTwoHundredLeavesTheCallerAFinalAnswerAfterItsRestart(@TempDir Path dir) throws Exception {
        try (RawCaller phone = new RawCaller(0)) {
            String callerLeg;
            Harness first = new Harness(dir, c -> c, this::holdingKeptDialogs);
            try {
                first.bot.decides(TestBot::answer);
                phone.to(first.bridge.port()).send(RawCaller.INVITE);
                await().untilTrue(keepAsked);
                callerLeg = first.store.held(SipBridge.APP_ID, CallState.ESTABLISHED, 10).get(0).id();
            } finally {
                first.close();  // the node dies with its 200 unsent
            }
            assertThat(phone.receiveUntil(status -> false)).as("what reached the caller before the node died")
                    .noneMatch(status -> status.startsWith("SIP/2.0 2"));

            try (Harness second = new Harness(dir)) {
                phone.to(second.bridge.port()).sendInTheSameTransaction(RawCaller.INVITE);
                List<String> heard = phone.receiveUntil(status -> status.matches("SIP/2\\.0 [2-6]\\d\\d .*"));
                assertThat(heard).as("the INVITE sent again gets a final answer, and it is not a 200")
                        .anyMatch(status -> status.matches("SIP/2\\.0 [3-6]\\d\\d .*"))
                        .noneMatch(status -> status.startsWith("SIP/2.0 2"));
                assertThat(second.store.find(callerLeg).orElseThrow().state()).isEqualTo(CallState.TERMINATED);
            }
        }
    }

    /** The store, with the completion of every write that keeps a dialog held until {@link #keptCommitted}. */
    private CallStore holdingKeptDialogs(CallStore store) {
        return (CallStore) Proxy.newProxyInstance(CallStore.class.getClassLoader(), new Class<?>[]{CallStore.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("write")) return invoke(store, method, args);
                    @SuppressWarnings("unchecked")
                    Function<CallWrites, Object> work = (Function<CallWrites, Object>) args[0];
                    AtomicBoolean keeps = new AtomicBoolean();
                    CompletableFuture<Object> committed = store.write(tx -> work.apply(noticingKeeps(tx, keeps)));
                    return committed.thenCompose(result -> {
                        if (!keeps.get()) return CompletableFuture.completedFuture(result);
                        keepAsked.set(true);
                        return keptCommitted.thenApply(ignored -> result);
                    });
                });
    }

    private static CallWrites noticingKeeps(CallWrites tx, AtomicBoolean keeps) {
        return (CallWrites) Proxy.newProxyInstance(CallWrites.class.getClassLoader(), new Class<?>[]{CallWrites.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("keepDialog")) keeps.set(true);
                    return invoke(tx, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
