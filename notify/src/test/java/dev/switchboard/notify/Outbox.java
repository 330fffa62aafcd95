package dev.switchboard.notify;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.CallState;
import dev.switchboard.core.calls.ChangeType;
import dev.switchboard.core.calls.Direction;
import dev.switchboard.core.calls.Identity;
import dev.switchboard.core.calls.IdentitySet;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.Notice;
import dev.switchboard.core.calls.Party;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.PendingNotification;
import dev.switchboard.core.time.Clock;
import dev.switchboard.store.sqlite.SqliteCallStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A real SQLite outbox in a temporary directory, and the calls written to it. */
final class Outbox implements AutoCloseable {

    static final String TENANT = "tenant-1";
    static final String APP = "bot-app-1";

    private final Path file;
    private final Clock clock;
    private CallStore store;

    Outbox(Path dir, Clock clock) {
        this.file = dir.resolve("switchboard.db");
        this.clock = clock;
        this.store = SqliteCallStore.open(file, new TestCodec(), clock);
    }

    CallStore store() {
        return store;
    }

    /** Closes and opens the file again, as a restarted process would. */
    CallStore reopen() {
        store.close();
        store = SqliteCallStore.open(file, new TestCodec(), clock);
        return store;
    }

    Call call(String callbackUri) {
        String id = UUID.randomUUID().toString();
        return new Call(id, TENANT, APP, Direction.INCOMING, CallState.INCOMING, 1, callbackUri,
                Party.of(IdentitySet.of(Identity.application("caller-app", "Caller", TENANT))), List.of(),
                List.of(Modality.AUDIO), Optional.empty(), "chain-" + id, "participant-" + id, Optional.empty(),
                Optional.empty(), clock.now(), clock.now());
    }

    /** Writes one notification per change, in this order, in one transaction; returns their message ids. */
    List<String> enqueue(Call call, ChangeType... changes) {
        List<String> ids = java.util.Arrays.stream(changes).map(c -> UUID.randomUUID().toString()).toList();
        store.write(tx -> {
            for (int i = 0; i < changes.length; i++) tx.enqueue(new Notice(changes[i], call), ids.get(i), clock.now());
            return null;
        }).join();
        return ids;
    }

    List<PendingNotification> undelivered() {
        return store.pending(0, clock.now().plus(Duration.ofDays(1000)), 1000);
    }

    @Override
    public void close() {
        store.close();
    }
}
