package dev.switchboard.server.cli;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.SwitchboardConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the server.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", description = "The YAML configuration file.")
    Path config;

    @Option(names = "--dev", description = "Without --config: a development tenant with a caller app and a bot app, "
            + "kept in DATA_DIR/dev.yaml; http callbacks to loopback hosts are allowed.")
    boolean dev;

    @Option(names = "--data-dir", description = "With --dev: where the store and dev.yaml live (default: ./data).")
    Path dataDir = Path.of("data");

    @Option(names = "--port", description = "With --dev: the HTTP port (default: 8080).")
    int port = 8080;

    @Override
    public Integer call() throws Exception {
        SwitchboardConfig cfg;
        if (config != null) {
            cfg = ConfigLoader.load(config);
        } else if (dev) {
            cfg = DevTenant.loadOrCreate(dataDir, port, "http://localhost:3978/api/calling",
                    "http://localhost:3979/api/calling").withDataDir(dataDir);
        } else {
            System.err.println("serve needs --config FILE, or --dev for a development tenant");
            return 2;
        }
        Switchboard sb = Switchboard.start(cfg, Clock.system());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sb.close();
            stopped.countDown();
        }, "switchboard-shutdown"));
        System.out.println("Switchboard is listening on " + sb.baseUrl());
        System.out.println("  calls API       " + sb.baseUrl() + "/v1.0/communications/calls");
        if (cfg.notifications().allowInsecureLoopback()) {
            System.out.println("  DEVELOPMENT MODE: plain http callbacks to loopback hosts are allowed; never expose this server.");
        }
        for (SwitchboardConfig.Tenant t : cfg.tenants()) {
            System.out.println("  tenant " + t.id());
            System.out.println("    token endpoint  " + sb.baseUrl() + "/" + t.id() + "/oauth2/v2.0/token");
            for (SwitchboardConfig.AppEntry a : t.apps()) {
                System.out.println("    app " + a.name() + ": id " + a.id() + (dev ? "  secret " + a.secret() : "")
                        + "  callback " + a.callbackUri());
            }
        }
        if (dev) System.out.println("  configuration of this tenant: " + dataDir.resolve("dev.yaml"));
        stopped.await();
        return 0;
    }
}
