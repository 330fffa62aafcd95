package dev.switchboard.server.cli;

import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.SwitchboardConfig;
import dev.switchboard.store.sqlite.SqliteCompaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Shrinks a stopped embedded store to what it keeps; retention frees pages, but SQLite never returns them. */
@Command(name = "compact", mixinStandardHelpOptions = true,
        description = "Give a stopped server's SQLite store's free space back to the disk.")
final class CompactCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The server's YAML configuration.")
    Path config;

    @Override
    public Integer call() {
        SwitchboardConfig cfg = ConfigLoader.load(config);
        if (SwitchboardConfig.Store.POSTGRES.equals(cfg.store().kind())) {
            System.err.println("compact is for the embedded SQLite store; PostgreSQL's autovacuum reuses the space "
                    + "retention frees (VACUUM FULL in psql returns it to the disk)");
            return 2;
        }
        Path file = Switchboard.sqliteFile(cfg);
        SqliteCompaction.Result r = SqliteCompaction.compact(file);
        System.out.printf(Locale.ROOT, "%s: %s -> %s%n", file, megabytes(r.bytesBefore()), megabytes(r.bytesAfter()));
        return 0;
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }
}
