package dev.switchboard.store;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.Direction;
import dev.switchboard.core.calls.Ending;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.RejectReason;
import dev.switchboard.core.store.CallStore;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Call legs for store tests, built directly: the store stores what it is given, legal or not. */
public final class Legs {

    public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);

    private Legs() {
    }

    /** The callee's leg of {@code chain}, ringing since {@code at}. */
    public static Call ringing(String id, String chain, Instant at) {
        return new Call(id, "tenant-1", "callee-app", Direction.INCOMING, CallState.INCOMING, 1,
                "https://callee.example/notify", TestCodec.party("caller-app"), List.of(TestCodec.party("callee-app")),
                List.of(Modality.AUDIO), Optional.empty(), chain, "p-" + id, Optional.of(at.plus(ANSWER_TIMEOUT)),
                Optional.empty(), at, at);
    }

    /** The caller's leg of {@code chain}, placed at {@code at}. */
    public static Call placing(String id, String chain, Instant at) {
        return new Call(id, "tenant-1", "caller-app", Direction.OUTGOING, CallState.ESTABLISHING, 1,
                "https://caller.example/notify", TestCodec.party("caller-app"), List.of(TestCodec.party("callee-app")),
                List.of(Modality.AUDIO), Optional.empty(), chain, "p-" + id, Optional.empty(), Optional.empty(), at, at);
    }

    public static Call movedTo(Call call, CallState state, Instant at) {
        return new Call(call.id(), call.tenantId(), call.ownerAppId(), call.direction(), state, call.version() + 1,
                call.callbackUri(), call.source(), call.targets(), call.requestedModalities(), call.invitation(),
                call.callChainId(), call.myParticipantId(), Optional.empty(), Optional.empty(), call.createdAt(), at);
    }

    public static Call ended(Call call, Ending why, Instant at) {
        return new Call(call.id(), call.tenantId(), call.ownerAppId(), call.direction(), CallState.TERMINATED,
                call.version() + 1, call.callbackUri(), call.source(), call.targets(), call.requestedModalities(),
                call.invitation(), call.callChainId(), call.myParticipantId(), Optional.empty(), Optional.of(why),
                call.createdAt(), at);
    }

    /** The same leg one version later, nothing else changed: a counter for concurrency tests. */
    public static Call bumped(Call call) {
        return new Call(call.id(), call.tenantId(), call.ownerAppId(), call.direction(), call.state(),
                call.version() + 1, call.callbackUri(), call.source(), call.targets(), call.requestedModalities(),
                call.invitation(), call.callChainId(), call.myParticipantId(), call.answerDeadline(), call.ending(),
                call.createdAt(), call.updatedAt());
    }

    /** The same leg, notifying {@code callbackUri}. */
    public static Call callingBackTo(Call call, String callbackUri) {
        return new Call(call.id(), call.tenantId(), call.ownerAppId(), call.direction(), call.state(), call.version(),
                callbackUri, call.source(), call.targets(), call.requestedModalities(), call.invitation(),
                call.callChainId(), call.myParticipantId(), call.answerDeadline(), call.ending(), call.createdAt(),
                call.updatedAt());
    }

    /** Writes a call {@code id} that rang and was rejected busy at {@code at}, and waits for the commit. */
    public static void rejectedIn(CallStore store, String id, Instant at) throws Exception {
        Call leg = ringing(id, "chain-" + id, at);
        store.write(tx -> {
            tx.insert(leg);
            tx.update(ended(leg, new Ending.Rejected(RejectReason.BUSY), at));
            return null;
        }).get(30, TimeUnit.SECONDS);
    }
}
