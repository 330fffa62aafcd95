package dev.switchboard.sip;

import dev.switchboard.core.calls.Call;
import dev.switchboard.core.calls.Command;
import dev.switchboard.core.calls.Modality;
import dev.switchboard.core.calls.RejectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.sip.Harness.APP;
import static dev.switchboard.sip.Harness.TENANT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Interop with {@code sipp} (Debian package {@code sip-tester}): each scenario in
 * {@code src/test/resources/sipp/} against the bridge, the bot deciding per scenario. Skipped when
 * sipp is not installed on a developer's machine; in CI (environment {@code CI=true}, where
 * {@code .ci/run} installs it) or with {@code -Dsipp.required=true} a missing sipp is a failure.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SippInteropTest {

    Harness h;
    Path work;
    /** Where sipp plays the trunk for bots' outbound calls. */
    int trunkPort;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        boolean installed = sippInstalled();
        boolean required = Boolean.getBoolean("sipp.required") || "true".equalsIgnoreCase(System.getenv("CI"));
        if (required) assertThat(installed).as("sipp on the PATH").isTrue();
        assumeTrue(installed, "sipp is not installed (apt-get install sip-tester)");
        trunkPort = TestStacks.freeUdpPort();
        h = new Harness(dir.resolve("store"), c -> c.withOutbound(
                SipOutbound.parse("sip:127.0.0.1:" + trunkPort, Optional.empty())
                        .withLogin(new SipOutbound.TrunkLogin("bot-line", "trunk-secret"))));
        work = Files.createDirectories(dir.resolve("sipp"));
    }

    @AfterAll
    void stop() {
        if (h != null) h.close();
    }

    @BeforeEach
    void freshBot() {
        h.bot.reset();
    }

    @ParameterizedTest
    @ValueSource(strings = {"busy", "decline", "forbidden", "answer", "cancel", "timeout"})
    void scenarioPasses(String scenario) throws Exception {
        switch (scenario) {
            case "busy": h.bot.decides(c -> reject(c, RejectReason.BUSY)); break;
            case "decline": h.bot.decides(c -> reject(c, RejectReason.NONE)); break;
            case "forbidden": h.bot.decides(c -> reject(c, RejectReason.FORBIDDEN)); break;
            case "answer": h.bot.decides(c -> Optional.of(new Command.Answer(c.callId(), TENANT, APP, Optional.empty(),
                    List.of(Modality.AUDIO)))); break;
            default: break;  // cancel, timeout: the bot never decides
        }
        Path file = scenario("/sipp/" + scenario + ".xml", scenario + ".xml");
        Process sipp = new ProcessBuilder("sipp", "-sf", file.toString(), "-s", "reception", "-m", "1", "-l", "1",
                "-i", "127.0.0.1", "-p", String.valueOf(TestStacks.freeUdpPort()), "-mp", String.valueOf(TestStacks.freeUdpPort()),
                "-nostdin", "-timeout", "30s", "-timeout_error", "-trace_err",
                "127.0.0.1:" + h.bridge.port())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve(scenario + ".out").toFile())
                .start();
        if (scenario.equals("timeout")) {
            h.bot.awaitSeen("created");
            h.clock.advance(Duration.ofSeconds(16));
        }
        boolean done = sipp.waitFor(40, TimeUnit.SECONDS);
        if (!done) sipp.destroyForcibly();

        assertThat(sipp.exitValue()).as(() -> "sipp " + scenario + ":\n" + output(scenario)).isZero();
        TestBot.Seen deleted = h.bot.awaitSeen("deleted");
        int expected = switch (scenario) {
            case "busy" -> 486;
            case "decline" -> 603;
            case "forbidden" -> 403;
            case "answer" -> 200;
            case "cancel" -> 487;
            default -> 408;
        };
        assertThat(deleted.code()).isEqualTo(expected);
    }

    /**
     * Many calls at once, each rejected at once: every caller gets its 486. Final responses sent on
     * many threads at the same time once deadlocked the bridge (each thread holding its own leg and
     * waiting for another's when the stack reported a dialog's end), leaving INVITEs unanswered.
     */
    @org.junit.jupiter.api.Test
    void threeHundredCallsAtOnceEachGetTheir486() throws Exception {
        h.bot.decides(c -> reject(c, RejectReason.BUSY));
        Path file = scenario("/sipp/busy.xml", "busy-load.xml");
        Process sipp = new ProcessBuilder("sipp", "-sf", file.toString(), "-s", "reception", "-m", "300",
                "-r", "150", "-l", "300", "-i", "127.0.0.1", "-p", String.valueOf(TestStacks.freeUdpPort()),
                "-mp", String.valueOf(TestStacks.freeUdpPort()), "-nostdin", "-timeout", "60s", "-timeout_error",
                "-trace_err", "127.0.0.1:" + h.bridge.port())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("busy-load.out").toFile())
                .start();
        boolean done = sipp.waitFor(90, TimeUnit.SECONDS);
        if (!done) sipp.destroyForcibly();

        assertThat(sipp.exitValue()).as(() -> "sipp busy-load:\n" + output("busy-load")).isZero();
    }

    /** What a user pastes from the README: the built-in uac scenario against a bot that rejects busy. */
    @org.junit.jupiter.api.Test
    void builtInUacScenarioGets486FromABotThatRejectsBusy() throws Exception {
        h.bot.decides(c -> reject(c, RejectReason.BUSY));
        Process sipp = new ProcessBuilder("sipp", "-sn", "uac", "-s", "reception", "-m", "1", "-l", "1",
                "-i", "127.0.0.1", "-p", String.valueOf(TestStacks.freeUdpPort()), "-nostdin", "-timeout", "30s",
                "-trace_err", "127.0.0.1:" + h.bridge.port())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(work.resolve("uac.out").toFile())
                .start();
        assertThat(sipp.waitFor(40, TimeUnit.SECONDS)).isTrue();

        // the uac scenario expects 200 OK, so sipp counts the call as failed on the 486 it got
        assertThat(sipp.exitValue()).isEqualTo(1);
        assertThat(output("uac")).contains("486");
        assertThat(h.bot.awaitSeen("deleted").code()).isEqualTo(486);
    }

    /** sipp's built-in uas as the far end of a bot's call: 180, 200, our ACK, and the bot's hang-up as BYE. */
    @org.junit.jupiter.api.Test
    void aBotsCallIsAnsweredBySippsUasAndItsHangupIsABye() throws Exception {
        Process sipp = trunk("uas", "-sn", "uas");
        Call call = h.placeThroughTrunk(SipCallTest.phone("+4940555"));

        TestBot.Seen established = h.bot.awaitSeen(s -> s.callId().equals(call.id()) && s.state().equals("established"));
        h.bot.execute(new Command.Hangup(established.callId(), TENANT, APP));

        assertThat(sipp.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue()).as(() -> "sipp uas:\n" + output("uas")).isZero();
        assertThat(h.bot.awaitSeen(call.id(), "deleted").subcode())
                .isEqualTo(7000);
    }

    @org.junit.jupiter.api.Test
    void aBotsCallToABusyNumberBehindSippEndsWith486() throws Exception {
        Path file = scenario("/sipp/callee-busy.xml", "callee-busy.xml");
        Process sipp = trunk("callee-busy", "-sf", file.toString());
        Call call = h.placeThroughTrunk(SipCallTest.phone("+4940555"));

        assertThat(h.bot.awaitSeen(call.id(), "deleted").code())
                .isEqualTo(486);
        assertThat(sipp.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue()).as(() -> "sipp callee-busy:\n" + output("callee-busy")).isZero();
    }

    /** sipp checks the digest itself (its verifyauth), so the bridge's login is judged by another implementation. */
    @org.junit.jupiter.api.Test
    void aTrunkBehindSippThatChallengesTheInviteAcceptsTheBridgesLogin() throws Exception {
        Path file = scenario("/sipp/callee-auth.xml", "callee-auth.xml");
        Process sipp = trunk("callee-auth", "-sf", file.toString());
        Call call = h.placeThroughTrunk(SipCallTest.phone("+4940555"));

        assertThat(h.bot.awaitSeen(call.id(), "deleted").code())
                .as("486 after a digest sipp accepted; 403 after one it refused").isEqualTo(486);
        assertThat(sipp.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue()).as(() -> "sipp callee-auth:\n" + output("callee-auth")).isZero();
    }

    /**
     * sipp as a registrar that challenges: the bridge that starts with {@code register} logs in (sipp's
     * verifyauth judges the digest), is registered, and removes the binding when it stops.
     */
    @org.junit.jupiter.api.Test
    void aRegistrarBehindSippAcceptsTheBridgesLoginAndSeesTheBindingRemoved(@TempDir Path dir) throws Exception {
        Path file = scenario("/sipp/registrar-auth.xml", "registrar-auth.xml");
        int registrarPort = TestStacks.freeUdpPort();
        Process sipp = sippAt(registrarPort, "registrar-auth", "-sf", file.toString());
        Harness registering = new Harness(dir, c -> c.withOutbound(
                SipOutbound.parse("sip:127.0.0.1:" + registrarPort, Optional.empty())
                        .withLogin(new SipOutbound.TrunkLogin("bot-line", "trunk-secret"))
                        .withRegistration(Duration.ofMinutes(10))));
        try {
            org.awaitility.Awaitility.await().until(registering.bridge::trunkRegistered);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not registered; sipp registrar-auth:\n" + output("registrar-auth"), e);
        } finally {
            registering.close();
        }
        assertThat(sipp.waitFor(40, TimeUnit.SECONDS)).isTrue();
        assertThat(sipp.exitValue()).as(() -> "sipp registrar-auth:\n" + output("registrar-auth")).isZero();
    }

    /** The scenario file {@code resource} of this module, copied into the work directory as {@code fileName}. */
    private Path scenario(String resource, String fileName) throws IOException {
        Path file = work.resolve(fileName);
        try (InputStream in = getClass().getResourceAsStream(resource)) {
            Files.write(file, in.readAllBytes());
        }
        return file;
    }

    /** sipp listening as the trunk for one call; waits until it listens. */
    private Process trunk(String name, String... scenario) throws Exception {
        return sippAt(trunkPort, name, scenario);
    }

    /** sipp listening on {@code port} for one call; waits until it listens. */
    private Process sippAt(int port, String name, String... scenario) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("sipp"));
        command.addAll(List.of(scenario));
        command.addAll(List.of("-m", "1", "-i", "127.0.0.1", "-p", String.valueOf(port),
                "-mp", String.valueOf(TestStacks.freeUdpPort()), "-nostdin", "-timeout", "30s", "-timeout_error", "-trace_err"));
        Process sipp = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".out").toFile()).start();
        org.awaitility.Awaitility.await().until(() -> !udpPortFree(port) || !sipp.isAlive());
        return sipp;
    }

    private static boolean udpPortFree(int port) {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", port))) {
            return true;
        } catch (Exception taken) {
            return false;
        }
    }

    private static Optional<Command> reject(TestBot.Seen offered, RejectReason reason) {
        return Optional.of(new Command.Reject(offered.callId(), TENANT, APP, reason, Optional.empty()));
    }

    private String output(String scenario) {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(work)) {
            for (Path p : files.filter(p -> p.getFileName().toString().startsWith(scenario)
                    && !p.toString().endsWith(".xml")).toList()) {
                all.append("--- ").append(p.getFileName()).append('\n')
                        .append(Files.readString(p, StandardCharsets.ISO_8859_1));
            }
        } catch (Exception e) {
            all.append(e);
        }
        return all.length() > 20_000 ? all.substring(all.length() - 20_000) : all.toString();
    }

    private static boolean sippInstalled() {
        try {
            Process p = new ProcessBuilder("sipp", "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

}
