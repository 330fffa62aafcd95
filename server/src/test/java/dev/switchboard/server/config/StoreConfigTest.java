package dev.switchboard.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code store} key: SQLite unless it says PostgreSQL, and a PostgreSQL needs an address. */
class StoreConfigTest {

    @TempDir
    Path dir;

    private SwitchboardConfig load(String yaml) throws IOException {
        Path f = dir.resolve("switchboard.yaml");
        Files.writeString(f, yaml);
        return ConfigLoader.load(f);
    }

    @Test
    void withoutAStoreKeyCallsStayInTheSqliteFile() throws IOException {
        SwitchboardConfig.Store store = load("dataDir: data\n").store();
        assertThat(store.kind()).isEqualTo("sqlite");
        assertThat(store.url()).isNull();
        assertThat(store.pool()).isNull();
        assertThat(load("store: {kind: sqlite}\n").store().kind()).isEqualTo("sqlite");
    }

    @Test
    void aPostgresStoreIsReadWithItsConnectionSettings() throws IOException {
        SwitchboardConfig.Store store = load("""
                store:
                  kind: postgres
                  url: jdbc:postgresql://db.example:5432/switchboard
                  user: switchboard
                  password: s3cret
                  pool: 20
                """).store();
        assertThat(store.kind()).isEqualTo("postgres");
        assertThat(store.url()).isEqualTo("jdbc:postgresql://db.example:5432/switchboard");
        assertThat(store.user()).isEqualTo("switchboard");
        assertThat(store.password()).isEqualTo("s3cret");
        assertThat(store.pool()).isEqualTo(20);
        assertThat(store.toString()).doesNotContain("s3cret");
    }

    @Test
    void endedCallsAreKeptAWeekUnlessTheStoreSaysOtherwise() throws IOException {
        assertThat(load("dataDir: data\n").store().retention()).isEqualTo(Duration.ofDays(7));
        assertThat(load("store: {retention: 30d}\n").store().retention()).isEqualTo(Duration.ofDays(30));
        assertThat(load("store: {kind: postgres, url: 'jdbc:postgresql://db/sb', retention: 12h}\n").store().retention())
                .isEqualTo(Duration.ofHours(12));
    }

    @Test
    void aRetentionThatKeepsNothingIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("store: {retention: 0s}\n")).isInstanceOf(ConfigException.class)
                .hasMessage("bad value for 'store.retention': must be positive");
        assertThatThrownBy(() -> load("store: {retention: forever}\n")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("'store.retention'");
    }

    @Test
    void thePoolDefaultsToTenConnections() throws IOException {
        assertThat(load("store: {kind: postgres, url: 'jdbc:postgresql://db/sb'}\n").store().pool()).isEqualTo(10);
    }

    @Test
    void anUnknownKindIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("store: {kind: mysql}\n")).isInstanceOf(ConfigException.class)
                .hasMessage("bad value for 'store.kind': 'mysql' is not one of sqlite, postgres");
    }

    @Test
    void aPostgresStoreWithoutUrlIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> load("store: {kind: postgres}\n")).isInstanceOf(ConfigException.class)
                .hasMessage("missing value for 'store.url'");
    }

    @Test
    void aUrlThatIsNotPostgresJdbcIsRefused() {
        assertThatThrownBy(() -> load("store: {kind: postgres, url: 'postgres://db/sb'}\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("bad value for 'store.url': ");
    }

    @Test
    void anEmptyPoolIsRefused() {
        assertThatThrownBy(() -> load("store: {kind: postgres, url: 'jdbc:postgresql://db/sb', pool: 0}\n"))
                .isInstanceOf(ConfigException.class).hasMessage("bad value for 'store.pool': must be at least 1");
    }

    @Test
    void aDatabaseAddressUnderSqliteIsRefusedRatherThanIgnored() {
        assertThatThrownBy(() -> load("store: {url: 'jdbc:postgresql://db/sb'}\n")).isInstanceOf(ConfigException.class)
                .hasMessage("bad value for 'store.url': only kind postgres takes it (kind is sqlite)");
    }

    @Test
    void aPoolUnderSqliteIsRefusedToo() {
        assertThatThrownBy(() -> load("store: {kind: sqlite, pool: 4}\n")).isInstanceOf(ConfigException.class)
                .hasMessage("bad value for 'store.pool': only kind postgres takes it (kind is sqlite)");
    }

    @Test
    void aWrittenConfigurationReadsBackWithItsStore() throws IOException {
        SwitchboardConfig written = load("dataDir: data\n").withStore(
                SwitchboardConfig.Store.postgres("jdbc:postgresql://db/sb", "sb", "pw", 3));
        Path copy = dir.resolve("copy.yaml");
        ConfigLoader.write(written, copy);
        assertThat(ConfigLoader.load(copy).store()).isEqualTo(written.store());
        ConfigLoader.write(written.withStore(SwitchboardConfig.Store.sqlite()), copy);
        assertThat(Files.readString(copy)).contains("sqlite").doesNotContain("pool");
    }

    @Test
    void anUnknownStoreKeyIsRefusedNamingIt() {
        assertThatThrownBy(() -> load("store: {kind: postgres, url: 'jdbc:postgresql://db/sb', host: db}\n"))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("unknown key 'store.host'");
    }
}
