package dev.switchboard.server.cli;

import dev.switchboard.core.store.StoreUnavailableException;
import dev.switchboard.server.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code switchboard serve | demo | call | calls | compact}. */
@Command(name = "switchboard", mixinStandardHelpOptions = true, version = "switchboard 0.1.0",
        description = "Call control for bots over the Microsoft Graph v1.0 calls API.",
        subcommands = {ServeCommand.class, DemoCommand.class, CallCommand.class, CallsCommand.class, CompactCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** Errors a user can act on are said in one line; anything else keeps its stack trace. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof ConfigException) {
                cmd.getErr().println("configuration error: " + e.getMessage());
                return 2;
            }
            if (e instanceof StoreUnavailableException) {
                cmd.getErr().println("store: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
