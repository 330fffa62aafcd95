package dev.switchboard.store.postgres;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * Hears, on a connection of its own, the {@code NOTIFY} every node's outbox commit sends (see
 * {@link PostgresCallWrites}), and passes each one's lowest seq to the listeners: that is how a reject
 * written on node B reaches node A's dispatcher (and A's SIP legs) within milliseconds.
 *
 * <p>Notifications are a wake-up, not the truth: while the connection is down nothing is heard, and
 * readers fall back to polling the outbox (the dispatcher reads it again every second). The thread
 * reconnects by itself, once a second, for as long as the store is open.
 */
final class OutboxSignals implements AutoCloseable {

    static final String CHANNEL = "switchboard_outbox";
    private static final Logger log = LoggerFactory.getLogger(OutboxSignals.class);
    private static final int POLL_MILLIS = 500;
    private static final long RECONNECT_MILLIS = 1_000;

    private final PostgresSettings settings;
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile Connection connection;

    OutboxSignals(PostgresSettings settings) {
        this.settings = settings;
        this.thread = new Thread(this::run, "switchboard-store-listen");
        this.thread.setDaemon(true);
    }

    OutboxSignals start() {
        thread.start();
        return this;
    }

    void add(LongConsumer listener) {
        listeners.add(listener);
    }

    private void run() {
        boolean lost = false;
        while (running) {
            try (Connection listening = connect()) {
                connection = listening;
                try (Statement listen = listening.createStatement()) {
                    listen.execute("LISTEN " + CHANNEL);
                }
                if (lost) log.info("listening for other nodes' outbox commits again");
                lost = false;
                // Rows committed while nobody listened are found by the readers' polling, not here.
                PGConnection pg = listening.unwrap(PGConnection.class);
                while (running) {
                    PGNotification[] heard = pg.getNotifications(POLL_MILLIS);
                    if (heard != null && heard.length > 0) signal(lowest(heard));
                }
            } catch (SQLException | RuntimeException e) {
                if (!running) return;
                if (!lost) log.warn("lost the outbox notification channel; polling until it is back: {}", e.toString());
                lost = true;
                pause();
            } finally {
                connection = null;
            }
        }
    }

    private Connection connect() throws SQLException {
        Properties properties = new Properties();
        if (settings.user() != null) properties.setProperty("user", settings.user());
        if (settings.password() != null) properties.setProperty("password", settings.password());
        properties.setProperty("ApplicationName", "switchboard-listen");
        properties.setProperty("connectTimeout", Long.toString(PostgresSettings.CONNECT_TIMEOUT.toSeconds()));
        properties.setProperty("tcpKeepAlive", "true");
        Connection opened = DriverManager.getConnection(settings.url(), properties);
        opened.setAutoCommit(true);
        return opened;
    }

    private static long lowest(PGNotification[] heard) {
        long lowest = Long.MAX_VALUE;
        for (PGNotification n : heard) {
            try {
                lowest = Math.min(lowest, Long.parseLong(n.getParameter()));
            } catch (NumberFormatException e) {
                lowest = 0; // not ours to parse: look at the whole outbox
            }
        }
        return lowest;
    }

    private void signal(long lowestSeq) {
        for (LongConsumer listener : listeners) {
            try {
                listener.accept(lowestSeq);
            } catch (RuntimeException e) {
                log.warn("an outbox listener failed", e);
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        Connection open = connection;
        if (open != null) {
            try {
                open.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
