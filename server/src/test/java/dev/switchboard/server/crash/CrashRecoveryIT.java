package dev.switchboard.server.crash;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A child server process killed with SIGKILL mid-traffic and restarted on the same data: nothing
 * acknowledged is lost and no call has two outcomes.
 *
 * <p>The child is the packaged jar ({@code server/target/switchboard.jar}, system property
 * {@code switchboard.jar}), run as {@code java -jar switchboard.jar serve --config FILE} on a fixed free
 * port with its store in a temporary directory and a short answer timeout. A caller places calls to a
 * bot; the bot's endpoint answers every notification 202 at once and rejects about two thirds of the
 * offered calls as {@code busy}, leaving the rest ringing so they time out, many of them while the server
 * is down. After a planned traffic window (at least 2 s, then until 300 creations and 100 rejects were
 * acknowledged, at most 10 s) the child is killed (SIGKILL) while traffic still flows, started again, and the test
 * checks, through the API, the notifications both endpoints received and finally the store itself:
 * <ul>
 *   <li>every 201 creation still exists, and a token issued before the crash is still accepted;</li>
 *   <li>every leg whose reject was answered 202 ended 486, and so did its caller's leg;</li>
 *   <li>every offered leg ended exactly once, 486 (rejected) or 408/8544 (timed out), none left ringing,
 *       and its caller's leg ended the same way;</li>
 *   <li>every ended leg's owner got its {@code deleted}; all {@code deleted} of one leg carry the same
 *       message id and resultInfo, and nothing else arrives after it.</li>
 * </ul>
 * Requests in flight at the kill may fail: what was never acknowledged may be lost (or may have been
 * committed: a committed but unanswered reject still ends its leg 486, never twice).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String TENANT = "7d4c1a52-8e0b-4f7e-9a55-3b1f0c2d9e11";
    private static final String CALLER = "a1f0e2d3-0000-4c4c-8a8a-000000000001";
    private static final String CALLER_SECRET = "caller-crash-secret";
    private static final String BOT = "b2e1d3c4-0000-4d4d-9b9b-000000000002";
    private static final String BOT_SECRET = "bot-crash-secret";
    private static final String CALLS = "/v1.0/communications/calls";

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(3);
    /** Traffic runs at least this long, then until enough was acknowledged, at most {@link #TRAFFIC_MAX}. */
    private static final Duration TRAFFIC = Duration.ofSeconds(2);
    private static final Duration TRAFFIC_MAX = Duration.ofSeconds(10);
    private static final int ENOUGH_CREATIONS = 300;
    private static final int ENOUGH_REJECTS = 100;
    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int CALLER_THREADS = 8;
    private static final int MAX_CALLS = 4000;

    private static final String BUSY = "486/0";
    private static final String TIMED_OUT = "408/8544";

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<Child> children = new ArrayList<>();
    private final ExecutorService rejecters = Executors.newFixedThreadPool(8);
    private Endpoint callerEndpoint;
    private Endpoint botEndpoint;
    private Path config;
    private String baseUrl;

    /** Caller leg id → callChainId, for every creation answered 201. */
    private final Map<String, String> ackedCreations = new ConcurrentHashMap<>();
    /** Bot leg ids whose reject was answered 202. */
    private final Set<String> ackedRejects = ConcurrentHashMap.newKeySet();
    /** Bot leg ids the bot decided to reject (each decided once, whatever the duplicates). */
    private final Map<String, Boolean> decisions = new ConcurrentHashMap<>();
    /** Bot leg ids with a reject on the way. */
    private final Set<String> rejecting = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> rejectOutcomes = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> createOutcomes = new ConcurrentHashMap<>();
    private volatile String botToken;

    @AfterEach
    void stopEverything() throws IOException {
        for (Child c : children) c.stop();
        String keep = System.getProperty("crash.keepLogs"); // a directory to keep the children's output in
        if (keep != null) {
            Files.createDirectories(Path.of(keep));
            for (Child c : children) {
                Files.copy(c.log, Path.of(keep).resolve(c.log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        rejecters.shutdownNow();
        if (callerEndpoint != null) callerEndpoint.close();
        if (botEndpoint != null) botEndpoint.close();
    }

    @Test
    void sigkillMidTrafficLosesNothingAcknowledgedAndNoCallHasTwoOutcomes() throws Exception {
        try {
            run();
        } catch (Throwable t) {
            for (Child c : children) c.printLog();
            System.out.println(summary());
            throw t;
        }
        System.out.println(summary());
    }

    private void run() throws Exception {
        callerEndpoint = new Endpoint("caller", n -> { });
        botEndpoint = new Endpoint("bot", this::onBotNotification);
        int port = freePort();
        baseUrl = "http://127.0.0.1:" + port;
        config = writeConfig(port);

        phase("begin");
        Child first = start("server-1.log");
        phase("started");
        String callerToken = token(CALLER, CALLER_SECRET);
        botToken = token(BOT, BOT_SECRET);

        // Traffic: several callers place calls; the bot rejects some of what it is offered as it arrives.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger attempts = new AtomicInteger();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < CALLER_THREADS; i++) {
            Thread t = new Thread(() -> placeCalls(callerToken, stop, attempts), "crash-caller-" + i);
            t.setDaemon(true);
            callers.add(t);
            t.start();
        }
        // The planned traffic window: long enough for hundreds of acknowledgements on a loaded machine, bounded.
        long trafficStart = System.nanoTime();
        Thread.sleep(TRAFFIC.toMillis());
        while ((ackedCreations.size() < ENOUGH_CREATIONS || ackedRejects.size() < ENOUGH_REJECTS)
                && System.nanoTime() - trafficStart < TRAFFIC_MAX.toNanos()) {
            Thread.sleep(50);
        }
        assertThat(ackedCreations).as("calls acknowledged before the kill").isNotEmpty();

        // SIGKILL mid-traffic.
        long pid = first.process.pid();
        first.process.destroyForcibly();
        assertThat(first.process.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("killed child exited").isTrue();
        Instant killedAt = Instant.now();
        phase("killed");
        stop.set(true);
        assertThat(first.process.exitValue()).as("exit status of a SIGKILLed process (128 + 9)").isEqualTo(137);
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d is gone", pid).isFalse();
        for (Thread t : callers) t.join(PATIENCE.toMillis());
        int acknowledgedAtKill = ackedCreations.size();
        int rejectsAtKill = ackedRejects.size();
        System.out.printf("killed pid %d after %d ms of traffic: %d creations acknowledged, %d rejects acknowledged%n",
                pid, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - trafficStart), acknowledgedAtKill, rejectsAtKill);

        // Restart on the same configuration and data.
        start("server-2.log");
        Instant restartedAt = Instant.now();
        phase("restarted");
        String anyCallerLeg = ackedCreations.keySet().iterator().next();
        HttpResponse<String> withOldToken = send(get(CALLS + "/" + anyCallerLeg, callerToken));
        assertThat(withOldToken.statusCode()).as("a token issued before the crash, after restart: %s", withOldToken.body())
                .isEqualTo(200);

        // 1. Every acknowledged creation is still there.
        for (String callerLeg : ackedCreations.keySet()) {
            JsonNode leg = call(callerLeg, callerToken);
            assertThat(leg.path("id").asText()).isEqualTo(callerLeg);
        }

        // All calls were placed before the kill: once their deadlines have passed, every leg must have ended.
        Instant allDue = killedAt.plus(ANSWER_TIMEOUT).plusSeconds(1);
        await().atMost(PATIENCE).until(() -> Instant.now().isAfter(allDue));

        // 2. Every acknowledged creation was offered to the bot; every offered leg ended and its owner was told.
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Set<String> offeredChains = botEndpoint.received.stream().filter(n -> n.changeType.equals("created"))
                    .map(n -> n.chainId).collect(Collectors.toSet());
            assertThat(missing(ackedCreations.values(), offeredChains)).as("chains of 201s never offered to the bot").isEmpty();
            Set<String> botEnded = botEndpoint.legsWith("deleted");
            assertThat(missing(botEndpoint.legsWith("created"), botEnded)).as("offered bot legs with no deleted").isEmpty();
            Set<String> callerEnded = callerEndpoint.legsWith("deleted");
            assertThat(missing(ackedCreations.keySet(), callerEnded)).as("acknowledged caller legs with no deleted").isEmpty();
        });

        // 3. Each offered leg has exactly one outcome, 486 or 408/8544, the same in the store and in its notifications.
        Map<String, String> botOutcome = new TreeMap<>();   // bot leg → outcome
        Map<String, String> chainOutcome = new TreeMap<>(); // callChainId → outcome of its bot leg
        for (String botLeg : botEndpoint.legsWith("created")) {
            JsonNode leg = call(botLeg, botToken);
            assertThat(leg.path("state").asText()).as("bot leg %s", botLeg).isEqualTo("terminated");
            String outcome = outcome(leg);
            assertThat(outcome).as("bot leg %s", botLeg).isIn(BUSY, TIMED_OUT);
            assertSingleOutcome(botEndpoint, botLeg, outcome);
            botOutcome.put(botLeg, outcome);
            chainOutcome.put(leg.path("callChainId").asText(), outcome);
        }
        for (String botLeg : ackedRejects) {
            assertThat(botOutcome.get(botLeg)).as("bot leg %s whose reject was answered 202", botLeg).isEqualTo(BUSY);
        }
        for (Map.Entry<String, String> e : ackedCreations.entrySet()) {
            String callerLeg = e.getKey();
            JsonNode leg = call(callerLeg, callerToken);
            assertThat(leg.path("state").asText()).as("caller leg %s", callerLeg).isEqualTo("terminated");
            String outcome = outcome(leg);
            assertThat(outcome).as("caller leg %s ends as its bot leg did", callerLeg).isEqualTo(chainOutcome.get(e.getValue()));
            assertSingleOutcome(callerEndpoint, callerLeg, outcome);
        }
        for (String callerLeg : callerEndpoint.legsWith("deleted")) {
            if (!ackedCreations.containsKey(callerLeg)) {  // created but never acknowledged: one outcome all the same
                assertSingleOutcome(callerEndpoint, callerLeg, outcome(call(callerLeg, callerToken)));
            }
        }
        assertThat(botEndpoint.failures).as("bot endpoint problems").isEmpty();
        assertThat(callerEndpoint.failures).as("caller endpoint problems").isEmpty();
        assertThat(rejectOutcomes.keySet()).as("answers to rejects").doesNotContain("401", "409", "500", "400");

        // 4. The store itself, read by the CLI after a clean stop: every leg ended, with the outcome the API showed.
        phase("checked through the API");
        children.get(children.size() - 1).stop();
        Map<String, String[]> stored = storedCalls();
        for (Map.Entry<String, String[]> e : stored.entrySet()) {
            assertThat(e.getValue()[2]).as("stored leg %s %s", e.getKey(), String.join(" ", e.getValue())).isEqualTo("terminated");
        }
        for (Map.Entry<String, String> e : botOutcome.entrySet()) {
            assertThat(stored).as("stored bot legs").containsKey(e.getKey());
            assertThat(stored.get(e.getKey())[4]).as("stored outcome of bot leg %s", e.getKey()).isEqualTo(e.getValue());
        }
        for (Map.Entry<String, String> e : ackedCreations.entrySet()) {
            assertThat(stored).as("stored caller legs").containsKey(e.getKey());
            assertThat(stored.get(e.getKey())[4]).as("stored outcome of caller leg %s", e.getKey())
                    .isEqualTo(chainOutcome.get(e.getValue()));
        }
        phase("checked the store");
        long timedOut = botOutcome.values().stream().filter(TIMED_OUT::equals).count();
        // Offered before the kill, deadline (at most offer + timeout) passed before the restart: timed out while down.
        long timedOutWhileDown = botEndpoint.received.stream()
                .filter(n -> n.changeType.equals("created") && n.at.isBefore(killedAt)
                        && n.at.plus(ANSWER_TIMEOUT).isBefore(restartedAt) && TIMED_OUT.equals(botOutcome.get(n.leg)))
                .map(n -> n.leg).distinct().count();
        System.out.printf("legs timed out: %d, of which %d had their deadline pass while the server was down%n",
                timedOut, timedOutWhileDown);
        assertThat(timedOut).as("legs that timed out (some across the downtime)").isPositive();
        assertThat(ackedRejects).as("rejects acknowledged").isNotEmpty();
    }

    private final long began = System.nanoTime();

    private void phase(String what) {
        System.out.printf("[crash test +%5d ms] %s%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began), what);
    }

    // ---- traffic ----

    private void placeCalls(String token, AtomicBoolean stop, AtomicInteger attempts) {
        String body = "{\"callbackUri\":\"" + callerEndpoint.url() + "\",\"targets\":[{\"identity\":{\"application\":{\"id\":\""
                + BOT + "\"}}}],\"requestedModalities\":[\"audio\"]}";
        while (!stop.get() && attempts.incrementAndGet() <= MAX_CALLS) {
            try {
                HttpResponse<String> r = send(post(CALLS, token, body));
                count(createOutcomes, String.valueOf(r.statusCode()));
                if (r.statusCode() == 201) {
                    JsonNode leg = JSON.readTree(r.body());
                    ackedCreations.put(leg.path("id").asText(), leg.path("callChainId").asText());
                }
            } catch (Exception e) {
                count(createOutcomes, e.getClass().getSimpleName()); // in flight at the kill: not acknowledged
            }
        }
    }

    private void onBotNotification(Note n) {
        if (!n.changeType.equals("created") || !n.state.equals("incoming")) return;
        // About two thirds are rejected; the decision is the leg's, a redelivered offer gets the same one. A
        // redelivery (after the restart) retries a reject that was not acknowledged, as a bot would.
        boolean reject = decisions.computeIfAbsent(n.leg, leg -> Math.floorMod(leg.hashCode(), 3) != 0);
        if (!reject || ackedRejects.contains(n.leg) || !rejecting.add(n.leg)) return;
        rejecters.execute(() -> {
            try {
                HttpResponse<String> r = send(post(CALLS + "/" + n.leg + "/reject", botToken, "{\"reason\":\"busy\"}"));
                count(rejectOutcomes, String.valueOf(r.statusCode()));
                if (r.statusCode() == 202) ackedRejects.add(n.leg);
            } catch (Exception e) {
                count(rejectOutcomes, e.getClass().getSimpleName()); // the server is down: not acknowledged
            } finally {
                rejecting.remove(n.leg);
            }
        });
    }

    // ---- assertions ----

    /**
     * The leg's notifications at {@code endpoint}: at least one {@code deleted}, all of them with the same
     * message id and {@code expected} resultInfo, and nothing but those after the first.
     */
    private static void assertSingleOutcome(Endpoint endpoint, String leg, String expected) {
        List<Note> notes = endpoint.forLeg(leg);
        String shown = notes.stream().map(Note::toString).collect(Collectors.joining("\n  ", "\n  ", ""));
        int first = -1;
        for (int i = 0; i < notes.size(); i++) {
            if (notes.get(i).changeType.equals("deleted")) {
                first = i;
                break;
            }
        }
        assertThat(first).as("%s leg %s has a deleted:%s", endpoint.name, leg, shown).isNotNegative();
        List<Note> after = notes.subList(first, notes.size());
        for (Note n : after) {
            assertThat(n.changeType).as("%s leg %s: only deleted after deleted:%s", endpoint.name, leg, shown).isEqualTo("deleted");
            assertThat(n.state).as("%s leg %s:%s", endpoint.name, leg, shown).isEqualTo("terminated");
            assertThat(n.result).as("%s leg %s: one outcome:%s", endpoint.name, leg, shown).isEqualTo(expected);
            assertThat(n.messageId).as("%s leg %s: a duplicate deleted keeps its message id:%s", endpoint.name, leg, shown)
                    .isNotNull().isEqualTo(after.get(0).messageId);
        }
        Map<String, String> byMessage = new LinkedHashMap<>();
        for (Note n : notes) {
            String content = n.changeType + ":" + n.state + ":" + n.result;
            String before = byMessage.putIfAbsent(n.messageId, content);
            assertThat(before == null || before.equals(content))
                    .as("%s leg %s: message id %s names two different notifications:%s", endpoint.name, leg, n.messageId, shown)
                    .isTrue();
        }
    }

    private static List<String> missing(java.util.Collection<String> expected, Set<String> present) {
        return expected.stream().filter(x -> !present.contains(x)).sorted().limit(20).toList();
    }

    private static String outcome(JsonNode leg) {
        JsonNode r = leg.path("resultInfo");
        return r.isMissingNode() || r.isNull() ? "" : r.path("code").asInt() + "/" + r.path("subcode").asInt();
    }

    private String summary() {
        long timedOut = botEndpoint == null ? 0 : botEndpoint.received.stream()
                .filter(n -> n.changeType.equals("deleted") && n.result.equals(TIMED_OUT)).map(n -> n.leg).distinct().count();
        return "crash test: creations acknowledged " + ackedCreations.size() + " " + createOutcomes
                + "; rejects acknowledged " + ackedRejects.size() + " " + rejectOutcomes
                + "; bot legs offered " + (botEndpoint == null ? 0 : botEndpoint.legsWith("created").size())
                + ", timed out " + timedOut
                + "; notifications bot " + (botEndpoint == null ? 0 : botEndpoint.received.size())
                + ", caller " + (callerEndpoint == null ? 0 : callerEndpoint.received.size());
    }

    // ---- the child process ----

    /**
     * A private copy of the packaged server ({@code switchboard.jar}, built by {@code mvn package}): other
     * builds in the same checkout may replace the original while this test runs.
     */
    private Path jar() throws IOException {
        Path copy = dir.resolve("switchboard.jar");
        if (!Files.exists(copy)) {
            Path jar = Path.of(System.getProperty("switchboard.jar", "target/switchboard.jar")).toAbsolutePath();
            assertThat(jar).as("the packaged server (mvn package first)").isRegularFile();
            Files.copy(jar, copy);
        }
        return copy;
    }

    private Child start(String logName) throws IOException {
        Path jar = jar();
        Path log = dir.resolve(logName);
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx512m", "-jar", jar.toString(), "serve", "--config", config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Child child;
        try {
            child = new Child(pb.start(), log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        children.add(child);
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).ignoreExceptions().until(() -> {
            if (!child.process.isAlive()) {
                throw new AssertionError("the server exited with " + child.process.exitValue() + " before it was ready:\n" + child.log());
            }
            return send(HttpRequest.newBuilder(URI.create(baseUrl + "/readyz")).timeout(Duration.ofSeconds(2)).build())
                    .statusCode() == 200;
        });
        return child;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code calls --limit N} of the stopped server's store: id → [id, direction, state, app, code/subcode]. */
    private Map<String, String[]> storedCalls() throws Exception {
        Path jar = jar();
        Path out = dir.resolve("calls.txt");
        Process p = new ProcessBuilder(javaBin(), "-jar", jar.toString(), "calls", "--config", config.toString(),
                "--limit", "1000000").redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(p.waitFor(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("calls command finished").isTrue();
        List<String> lines = Files.readAllLines(out);
        assertThat(p.exitValue()).as("calls command: %s", String.join("\n", lines)).isZero();
        Map<String, String[]> legs = new TreeMap<>();
        for (String line : lines) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || f[0].equals("ID") || !f[3].matches("[0-9a-f-]{36}")) continue;
            String result = f.length > 4 ? f[4] : "";
            legs.put(f[0], new String[] {f[0], f[1], f[2], f[3], result});
        }
        assertThat(legs.size()).as("legs in the store").isGreaterThanOrEqualTo(2 * ackedCreations.size());
        return legs;
    }

    private Path writeConfig(int port) throws IOException {
        String yaml = "http:\n"
                + "  host: 127.0.0.1\n"
                + "  port: " + port + "\n"
                + "dataDir: \"" + dir.resolve("data") + "\"\n"
                + "graph:\n"
                + "  baseUrl: " + baseUrl + "\n"
                + "  answerTimeout: " + ANSWER_TIMEOUT.toMillis() + "ms\n"
                + "notifications:\n"
                + "  allowInsecureLoopback: true\n"
                + "tenants:\n"
                + "  - id: " + TENANT + "\n"
                + "    apps:\n"
                + "      - id: " + CALLER + "\n"
                + "        name: crash-caller\n"
                + "        secret: " + CALLER_SECRET + "\n"
                + "        callbackUri: " + callerEndpoint.url() + "\n"
                + "        permissions: [Calls.Initiate.All]\n"
                + "      - id: " + BOT + "\n"
                + "        name: crash-bot\n"
                + "        secret: " + BOT_SECRET + "\n"
                + "        callbackUri: " + botEndpoint.url() + "\n"
                + "        permissions: [Calls.JoinGroupCall.All, Calls.Initiate.All]\n";
        Path file = dir.resolve("switchboard.yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /**
     * A free port below the kernel's ephemeral range (32768 and up on Linux), so that no outgoing connection
     * can take it while the server is down and the restart finds it free: the restarted server must listen
     * where the first did, the tokens name that address.
     */
    private static int freePort() throws IOException {
        java.util.Random random = new java.util.Random();
        for (int i = 0; i < 50; i++) {
            int port = 20000 + random.nextInt(12000);
            try (java.net.ServerSocket s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
                return s.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    // ---- HTTP ----

    private String token(String appId, String secret) throws Exception {
        String form = "grant_type=client_credentials&client_id=" + enc(appId) + "&client_secret=" + enc(secret)
                + "&scope=" + enc(baseUrl + "/.default");
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(baseUrl + "/" + TENANT + "/oauth2/v2.0/token"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertThat(r.statusCode()).as("token for %s: %s", appId, r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("access_token").asText();
    }

    private JsonNode call(String id, String token) throws Exception {
        HttpResponse<String> r = send(get(CALLS + "/" + id, token));
        assertThat(r.statusCode()).as("GET call %s: %s", id, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private HttpRequest get(String path, String token) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).GET().build();
    }

    private HttpRequest post(String path, String token, String json) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build();
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static void count(Map<String, AtomicInteger> counts, String key) {
        counts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    // ---- helpers ----

    /** One server process and the file its output goes to. */
    private static final class Child {
        final Process process;
        final Path log;

        Child(Process process, Path log) {
            this.process = process;
            this.log = log;
        }

        void stop() {
            if (!process.isAlive()) return;
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(15, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        String log() {
            try {
                List<String> lines = Files.readAllLines(log);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 300), lines.size()));
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }

        void printLog() {
            System.out.println("===== " + log.getFileName() + " (pid " + process.pid() + ", last 300 lines) =====\n" + log());
        }
    }

    /** One notification as an endpoint received it, numbered in order of arrival. */
    record Note(long seq, Instant at, String leg, String changeType, String state, String result, String messageId,
                String chainId) {
        @Override
        public String toString() {
            return "#" + seq + " " + changeType + ":" + state + (result.isEmpty() ? "" : " " + result) + " msg " + messageId;
        }
    }

    /**
     * A notification endpoint on 127.0.0.1, a free port: records every notification (before answering),
     * answers 202 at once, then hands it to {@code reaction}.
     */
    private static final class Endpoint implements AutoCloseable {
        private static final java.util.concurrent.atomic.AtomicLong SEQ = new java.util.concurrent.atomic.AtomicLong();
        final String name;
        final List<Note> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final com.sun.net.httpserver.HttpServer server;
        private final ExecutorService executor = Executors.newFixedThreadPool(8);
        private final java.util.function.Consumer<Note> reaction;

        Endpoint(String name, java.util.function.Consumer<Note> reaction) throws IOException {
            this.name = name;
            this.reaction = reaction;
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/" + name, this::handle);
            server.setExecutor(executor);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name;
        }

        private void handle(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
            List<Note> notes = new ArrayList<>();
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !auth.startsWith("Bearer ")) failures.add("a notification without a bearer token");
                String messageId = exchange.getRequestHeaders().getFirst("X-Microsoft-Skype-Message-ID");
                JsonNode envelope;
                try {
                    envelope = JSON.readTree(body);
                } catch (IOException e) {
                    failures.add("not JSON: " + new String(body, StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(400, -1);
                    return;
                }
                synchronized (this) { // one order of arrival per endpoint
                    for (JsonNode n : envelope.path("value")) {
                        JsonNode call = n.path("resourceData");
                        Note note = new Note(SEQ.incrementAndGet(), Instant.now(), call.path("id").asText(), n.path("changeType").asText(),
                                call.path("state").asText(), outcome(call), messageId, call.path("callChainId").asText());
                        received.add(note);
                        notes.add(note);
                    }
                }
                exchange.sendResponseHeaders(202, -1);
            }
            for (Note n : notes) reaction.accept(n);
        }

        List<Note> forLeg(String leg) {
            return received.stream().filter(n -> n.leg.equals(leg)).toList();
        }

        Set<String> legsWith(String changeType) {
            return received.stream().filter(n -> n.changeType.equals(changeType)).map(n -> n.leg)
                    .collect(Collectors.toCollection(java.util.TreeSet::new));
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }
}
