package dev.switchboard.store.postgres;

import dev.switchboard.core.store.CallStore;
import dev.switchboard.core.time.Clock;
import dev.switchboard.json.GraphCallCodec;
import dev.switchboard.store.CallStoreContract;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The contract again with the codec the server uses, so that stored bodies really read back equal. */
class PostgresCallStoreGraphCodecTest implements CallStoreContract {

    private PostgresSettings database;

    @BeforeAll
    static void startServer() {
        EmbeddedPostgresServer.server();
    }

    @BeforeEach
    void freshSchema() {
        database = EmbeddedPostgresServer.freshSchema(4);
    }

    @Override
    public CallStore openStore(Clock clock) {
        return PostgresCallStore.open(database, new GraphCallCodec(), clock);
    }
}
