package dev.switchboard.server.cluster;

import dev.switchboard.core.time.Clock;
import dev.switchboard.server.Switchboard;
import dev.switchboard.server.fixtures.BotEndpoint.Notification;
import dev.switchboard.server.fixtures.RawGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kamailio set-up of docs/cluster.md, run as written ({@code docs/cluster/kamailio.cfg}): sipp
 * places calls to Kamailio, which spreads them over two nodes by Call-ID; the bot rejects every call
 * on the node that did not take its INVITE, and every caller still gets 486 through the proxy. Needs
 * {@code kamailio} (Debian package) and {@code sipp}; CI installs both, and there their absence fails.
 */
class KamailioInFrontTest {

    private static final Path CONFIG = Path.of("../docs/cluster/kamailio.cfg");
    private static final int CALLS = 12;

    @TempDir
    Path dir;
    private Cluster cluster;
    private Process kamailio;

    @AfterEach
    void stop() throws InterruptedException {
        if (kamailio != null) {
            kamailio.destroy();
            if (!kamailio.waitFor(10, TimeUnit.SECONDS)) kamailio.destroyForcibly();
        }
        if (cluster != null) cluster.close();
    }

    @Test
    void kamailioSpreadsCallsOverTwoNodesAndEachRejectReachesItsCaller() throws Exception {
        Sipp.require("kamailio");
        Sipp.require("sipp");
        cluster = new Cluster(Files.createDirectories(dir.resolve("data")), Clock.system(), Duration.ofSeconds(15),
                Duration.ofSeconds(10));
        // port 0: each node chooses its own, and takes another if that one is gone before it binds
        List<Switchboard> nodes = List.of(cluster.start("node-1", Optional.of(0)), cluster.start("node-2", Optional.of(0)));
        int sip1 = nodes.get(0).sipPort().orElseThrow();
        int sip2 = nodes.get(1).sipPort().orElseThrow();
        Path list = dir.resolve("dispatcher.list");
        Files.writeString(list, "1 sip:127.0.0.1:" + sip1 + "\n1 sip:127.0.0.1:" + sip2 + "\n");
        int proxy = Sipp.freeUdpPort();
        Path kamailioLog = dir.resolve("kamailio.log");
        kamailio = new ProcessBuilder("kamailio", "-f", CONFIG.toAbsolutePath().toString(), "-DD", "-E",
                "-A", "LISTEN=udp:127.0.0.1:" + proxy, "-A", "DISPATCHER_LIST=\"" + list + "\"",
                "-P", dir.resolve("kamailio.pid").toString(), "-Y", Files.createDirectories(dir.resolve("run")).toString())
                .redirectErrorStream(true).redirectOutput(kamailioLog.toFile()).start();

        // the bot rejects each call on the other node than the one its INVITE reached
        Set<String> rejected = ConcurrentHashMap.newKeySet();
        Sipp callers = Sipp.call(Sipp.BUSY, CALLS, proxy, dir);
        Set<String> nodesUsed = new HashSet<>();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                for (Notification offered : cluster.botEndpoint.notifications()) {
                    if (!offered.changeType().equals("created") || !rejected.add(offered.callId())) continue;
                    String owner = ownerOf(offered.callId());
                    nodesUsed.add(owner);
                    Switchboard other = owner.equals("node-1") ? nodes.get(1) : nodes.get(0);
                    HttpResponse<String> r = cluster.graph(other).reject(offered.callId(), cluster.token(cluster.bot),
                            "{\"reason\":\"busy\"}");
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                }
                return rejected.size() == CALLS;
            });
            callers.assertPassed();
        } catch (AssertionError | RuntimeException e) {
            System.out.println("kamailio:\n" + log(kamailioLog));
            throw e;
        } finally {
            callers.stop();
        }
        assertThat(nodesUsed).as("Kamailio spread the calls").containsExactlyInAnyOrder("node-1", "node-2");
    }

    /** The node holding the SIP caller leg of the bot leg {@code botLeg}'s call. */
    private String ownerOf(String botLeg) {
        return cluster.query("SELECT c.body FROM calls c JOIN calls b ON b.call_chain_id = c.call_chain_id"
                + " WHERE b.id = '" + botLeg + "' AND c.id <> b.id", rows -> {
            try {
                rows.next();
                String body = rows.getString(1);
                return body.contains("switchboard-sip://node-1") ? "node-1" : "node-2";
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static String log(Path file) {
        try {
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
