package dev.switchboard.server.cluster;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A SIP caller rings node 1, the only node with a SIP listener; the bot's reject reaches node 2. The
 * reject is written by node 2, node 1 hears of it (LISTEN/NOTIFY) and, being the only node granted its
 * SIP leg's notifications, answers the INVITE 486. The caller is {@code sipp} running the interop
 * suite's busy scenario (Debian package {@code sip-tester}; required in CI, as there).
 */
class SipAcrossNodesTest {

    private static final Path BUSY = Path.of("../sip/src/test/resources/sipp/busy.xml");

    @TempDir
    Path dataDir;
    private Cluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void aRejectAcceptedByAnotherNodeIsAnsweredOnTheSipLegsNode() throws Exception {
        boolean installed = sippInstalled();
        if ("true".equalsIgnoreCase(System.getenv("CI"))) assertThat(installed).as("sipp on the PATH").isTrue();
        assumeTrue(installed, "sipp is not installed (apt-get install sip-tester)");
        cluster = new Cluster(dataDir, Clock.system(), Duration.ofSeconds(15), Duration.ofSeconds(10));
        int sipPort = freeUdpPort();
        cluster.start("node-1", Optional.of(sipPort));
        Switchboard two = cluster.start("node-2", Optional.empty());

        Path out = dataDir.resolve("sipp.out");
        Process sipp = new ProcessBuilder("sipp", "-sf", BUSY.toAbsolutePath().toString(), "-s", "reception",
                "-m", "1", "-l", "1", "-i", "127.0.0.1", "-p", String.valueOf(freeUdpPort()),
                "-mp", String.valueOf(freeUdpPort()), "-nostdin", "-timeout", "30s", "-timeout_error",
                "127.0.0.1:" + sipPort)
                .directory(dataDir.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            String botLeg = cluster.botEndpoint.awaitIncoming().callId();
            HttpResponse<String> rejected = cluster.graph(two).reject(botLeg, cluster.token(cluster.bot),
                    "{\"reason\":\"busy\"}");
            assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(202);

            assertThat(sipp.waitFor(40, TimeUnit.SECONDS)).isTrue();
            String output = Files.readString(out, StandardCharsets.ISO_8859_1);
            assertThat(sipp.exitValue()).as(() -> "sipp:\n" + output).isZero();
            assertThat(ClusterTest.awaitDeleted(cluster.botEndpoint, botLeg).result()).isEqualTo("486/0 Busy");
        } finally {
            sipp.destroyForcibly();
        }
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

    private static int freeUdpPort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            return s.getLocalPort();
        }
    }
}
