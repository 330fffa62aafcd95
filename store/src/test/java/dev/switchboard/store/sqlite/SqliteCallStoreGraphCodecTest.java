package dev.switchboard.store.sqlite;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.store.RecentCallCodec;
import dev.switchboard.core.time.Clock;
import dev.switchboard.core.time.ManualClock;
import dev.switchboard.json.GraphCallCodec;
import dev.switchboard.store.CallStoreContract;
import dev.switchboard.store.Legs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract again with the codec the server uses, so that stored bodies really read back equal. */
class SqliteCallStoreGraphCodecTest implements CallStoreContract {

    @TempDir
    Path dir;

    @Override
    public CallStore openStore(Clock clock) {
        return SqliteCallStore.open(dir.resolve("calls.db"), new GraphCallCodec(), clock);
    }

    @Test
    void aConversationJustWrittenIsReadBackWithoutParsing() {
        Clock clock = new ManualClock(T0);
        try (CallStore store = SqliteCallStore.open(dir.resolve("recent.db"),
                new RecentCallCodec(new GraphCallCodec(), 16), clock)) {
            Call caller = Legs.placing("caller", "chain-1", T0);
            Call callee = Legs.ringing("callee", "chain-1", T0);
            store.write(tx -> { tx.insert(caller); tx.insert(callee); return null; }).join();
            List<Call> read = store.write(tx -> tx.conversationOf("callee").legs()).join();
            // the very instances written: nothing was parsed
            assertThat(read).usingElementComparator((a, b) -> a == b ? 0 : 1)
                    .containsExactlyInAnyOrder(caller, callee);
        }
    }
}
