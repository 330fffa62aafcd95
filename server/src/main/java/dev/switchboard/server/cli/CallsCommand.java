package dev.switchboard.server.cli;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.store.CallHistory;
import dev.switchboard.core.store.TimelineEntry;
import dev.switchboard.json.GraphCallCodec;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.SwitchboardConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** Reads the store: the latest calls, or one call's whole timeline. */
@Command(name = "calls", mixinStandardHelpOptions = true, description = "List recent calls, or show one call's timeline.")
final class CallsCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "The server's YAML configuration.")
    Path config;

    @Option(names = "--limit", description = "How many calls to list (default: 20).")
    int limit = 20;

    @Parameters(arity = "0..1", description = "A call id: show its timeline.")
    String id;

    @Override
    public Integer call() {
        SwitchboardConfig cfg = ConfigLoader.load(config);
        try (CallHistory store = Switchboard.openHistory(cfg, new GraphCallCodec())) {
            if (id == null) {
                System.out.printf("%-36s  %-9s %-12s %-36s %s%n", "ID", "DIRECTION", "STATE", "APP", "RESULT");
                for (Call c : store.recent(limit)) {
                    System.out.printf("%-36s  %-9s %-12s %-36s %s%n", c.id(), c.direction().wireName(), c.state().wireName(),
                            c.ownerAppId(), c.resultInfo().map(r -> r.code() + "/" + r.subcode() + " " + r.message()).orElse(""));
                }
                return 0;
            }
            List<TimelineEntry> timeline = store.timeline(id);
            if (timeline.isEmpty()) {
                System.err.println("no call " + id);
                return 1;
            }
            store.find(id).ifPresent(c -> System.out.println("call " + c.id() + " (" + c.direction().wireName() + ", app "
                    + c.ownerAppId() + ", chain " + c.callChainId() + ")"));
            for (TimelineEntry e : timeline) System.out.printf("  %s  %-12s %s%n", e.at(), e.kind(), e.detail());
            return 0;
        }
    }
}
