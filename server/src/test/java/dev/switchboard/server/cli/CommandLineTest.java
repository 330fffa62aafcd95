package dev.switchboard.server.cli;

import com.sun.net.httpserver.HttpServer;
import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.config.ConfigLoader;
import dev.switchboard.server.config.SwitchboardConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code call} places a call through the public API and waits for its end; {@code calls} reads the
 * store; {@code compact} shrinks it, once its server has stopped. One real answer timeout (1 s) runs out here: the bot never decides.
 */
class CommandLineTest {

    @TempDir
    Path dir;

    @Test
    void callPrintsHowTheCallEndedAndCallsShowsItsTimeline() throws Exception {
        HttpServer silentBot = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silentBot.createContext("/", exchange -> {
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        silentBot.start();
        String callback = "http://127.0.0.1:" + silentBot.getAddress().getPort() + "/api/calling";
        try {
            SwitchboardConfig config = new SwitchboardConfig(new SwitchboardConfig.Http("127.0.0.1", 0, null),
                    Path.of("."), new SwitchboardConfig.Graph(null, Duration.ofSeconds(1)),
                    new SwitchboardConfig.Notifications(null, true, null),
                    List.of(new SwitchboardConfig.Tenant("t1", List.of(
                            new SwitchboardConfig.AppEntry("caller", "Caller", "c-secret", callback, List.of("Calls.Initiate.All", "Calls.InitiateGroupCall.All")),
                            new SwitchboardConfig.AppEntry("bot", "Bot", "b-secret", callback, List.of("Calls.JoinGroupCall.All"))))));
            Path file = dir.resolve("switchboard.yaml");
            ConfigLoader.write(config, file);
            try (Switchboard sb = Switchboard.start(ConfigLoader.load(file), Clock.system())) {
                String out = run("call", "--config", file.toString(), "--base-url", sb.baseUrl(), "--from", "caller",
                        "--to", "bot", "--group", "--meeting-organizer", "organizer-1");
                assertThat(out).contains("placed call").contains("ended: 408/8544 Callee could not be reached.");
                String callId = out.lines().filter(l -> l.startsWith("placed call")).findFirst().orElseThrow().split(" ")[2];

                String list = run("calls", "--config", file.toString());
                assertThat(list).contains(callId).contains("outgoing").contains("incoming").contains("408/8544");

                String timeline = run("calls", "--config", file.toString(), callId);
                assertThat(timeline).contains("call " + callId).contains("establishing").contains("terminated");
            }
        } finally {
            silentBot.stop(0);
        }
    }

    @Test
    void serveOnAStoreAnotherServerWritesSaysWhoHasItAndStops() throws Exception {
        Path file = oneBotConfig(Path.of("."));
        try (Switchboard first = Switchboard.start(ConfigLoader.load(file), Clock.system())) {
            Failed serve = runFailing("serve", "--config", file.toString());

            assertThat(serve.code()).isEqualTo(1);
            assertThat(serve.err()).startsWith("store: ").contains("in use by another Switchboard")
                    .contains("pid " + ProcessHandle.current().pid());
            String list = run("calls", "--config", file.toString());
            assertThat(list).startsWith("ID");
        }
    }

    @Test
    void compactRefusesAStoreARunningServerWritesAndShrinksAStoppedOne() throws Exception {
        Path file = oneBotConfig(dir.resolve("data"));
        try (Switchboard running = Switchboard.start(ConfigLoader.load(file), Clock.system())) {
            Failed compact = runFailing("compact", "--config", file.toString());

            assertThat(compact.code()).isEqualTo(1);
            assertThat(compact.err()).startsWith("store: ").contains("in use by another Switchboard");
        }

        String out = run("compact", "--config", file.toString());

        assertThat(out).startsWith(dir.resolve("data").resolve("switchboard.db").toString()).contains(" MB -> ");
    }

    /** A configuration of one bot app with its store in {@code dataDir}, written where the commands read it. */
    private Path oneBotConfig(Path dataDir) throws Exception {
        SwitchboardConfig config = new SwitchboardConfig(new SwitchboardConfig.Http("127.0.0.1", 0, null),
                dataDir, new SwitchboardConfig.Graph(null, Duration.ofSeconds(1)),
                new SwitchboardConfig.Notifications(null, true, null),
                List.of(new SwitchboardConfig.Tenant("t1", List.of(new SwitchboardConfig.AppEntry("bot", "Bot", "b-secret",
                        "http://127.0.0.1:9/api/calling", List.of("Calls.JoinGroupCall.All"))))));
        Path file = dir.resolve("switchboard.yaml");
        ConfigLoader.write(config, file);
        return file;
    }

    private record Failed(int code, String err) {}

    /** Runs a command expected to fail: its exit code, and what it said on standard error. */
    private static Failed runFailing(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new Failed(code, err.toString());
    }

    private static String run(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            int code = Main.commandLine().execute(args);
            assertThat(code).as(String.join(" ", args)).isZero();
        } finally {
            System.setOut(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
