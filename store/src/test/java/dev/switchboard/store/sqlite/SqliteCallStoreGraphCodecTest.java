package dev.switchboard.store.sqlite;

import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.time.Clock;
import dev.switchboard.json.GraphCallCodec;
import dev.switchboard.store.CallStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** The contract again with the codec the server uses, so that stored bodies really read back equal. */
class SqliteCallStoreGraphCodecTest implements CallStoreContract {

    @TempDir
    Path dir;

    @Override
    public CallStore openStore(Clock clock) {
        return SqliteCallStore.open(dir.resolve("calls.db"), new GraphCallCodec(), clock);
    }
}
