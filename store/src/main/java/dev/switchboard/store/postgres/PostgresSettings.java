package dev.switchboard.store.postgres;

import java.time.Duration;
import java.util.Objects;

/**
 * Where the PostgreSQL of a cluster is and how many connections one node may hold.
 *
 * @param url      a JDBC URL, {@code jdbc:postgresql://host:5432/switchboard}
 * @param user     may be null when the URL or the server's authentication needs none
 * @param password may be null likewise
 * @param poolSize connections this node opens at most; as many transactions run at once
 */
public record PostgresSettings(String url, String user, String password, int poolSize) {

    public static final int DEFAULT_POOL_SIZE = 10;
    /** How long opening a connection may take before the database counts as unreachable. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * How long the driver waits for any answer on an open connection: a database host that vanished
     * without closing the socket must not hold a request for the TCP timeout's minutes.
     */
    public static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(30);
    /** A statement that runs longer is cancelled; nothing Switchboard asks should take a tenth of it. */
    public static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(15);
    /** A row lock waited on longer than this fails the work (503 to the client) instead of queueing on. */
    public static final Duration LOCK_TIMEOUT = Duration.ofSeconds(5);

    public PostgresSettings {
        Objects.requireNonNull(url, "url");
        if (!url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): " + url);
        }
        if (poolSize < 1) throw new IllegalArgumentException("the pool needs at least one connection: " + poolSize);
    }

    /** The password stays out of logs and exception messages. */
    @Override
    public String toString() {
        return "PostgresSettings[url=" + url + ", user=" + user + ", poolSize=" + poolSize + "]";
    }
}
