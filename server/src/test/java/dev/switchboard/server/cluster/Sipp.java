package dev.switchboard.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Outside SIP peers for the cluster tests: {@code sipp} (Debian's {@code sip-tester}) and {@code kamailio}.
 * A test needing one that is missing is skipped on a developer's machine and fails in CI
 * ({@code CI=true}, where {@code .ci/run} installs both).
 */
final class Sipp {

    /** The interop suite's scenario in which a caller expects 486 Busy Here with its Q.850 Reason. */
    static final Path BUSY = Path.of("../sip/src/test/resources/sipp/busy.xml").toAbsolutePath();
    /** A caller expecting 503 with Retry-After (this module's test resources). */
    static final Path UNAVAILABLE = Path.of("src/test/resources/sipp/unavailable.xml").toAbsolutePath();

    private final Process process;
    private final Path output;

    private Sipp(Process process, Path output) {
        this.process = process;
        this.output = output;
    }

    static void require(String tool) {
        boolean installed;
        try {
            Process p = new ProcessBuilder(tool, "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            installed = p.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            installed = false;
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) assertThat(installed).as(tool + " on the PATH").isTrue();
        assumeTrue(installed, tool + " is not installed");
    }

    /** Starts {@code calls} calls of {@code scenario} at 4 calls/s (4 at once at most) to 127.0.0.1:{@code port}. */
    static Sipp call(Path scenario, int calls, int port, Path dir) throws IOException {
        Path out = dir.resolve("sipp-" + System.nanoTime() + ".out");
        Process process = new ProcessBuilder("sipp", "-sf", scenario.toString(), "-s", "reception",
                "-m", String.valueOf(calls), "-l", "4", "-r", "4", "-i", "127.0.0.1",
                "-p", String.valueOf(freeUdpPort()), "-mp", String.valueOf(freeUdpPort()), "-nostdin",
                "-timeout", "60s", "-timeout_error", "127.0.0.1:" + port)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        return new Sipp(process, out);
    }

    /** Waits for sipp to end and asserts every call went as its scenario expects. */
    void assertPassed() throws InterruptedException {
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) process.destroyForcibly();
        assertThat(ended).as("sipp ended").isTrue();
        assertThat(process.exitValue()).as(() -> "sipp:\n" + output()).isZero();
    }

    void stop() {
        process.destroyForcibly();
    }

    private String output() {
        try {
            return Files.readString(output, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return e.toString();
        }
    }

    static int freeUdpPort() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
