package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bot of the SIP benchmark ({@code bench/sip.sh}): one app, routed from {@code sip:reception@*},
 * that rejects every incoming call as busy at once, so sipp sees 486.
 *
 * <p>Per call it does what a real rejecting bot does over the wire: reads the {@code created}
 * notification, answers it 202, and POSTs {@code /reject {"reason":"busy"}} with its own access token.
 * Like {@link FullLoop}'s bots it does not verify the notification JWT (it only checks a Bearer token
 * is present): that would spend CPU on the two cores the server is measured on.
 *
 * <p>{@code GET /stats} returns its counters as JSON, so the script can tell, per rate, how many
 * notifications arrived and how many rejects the server acknowledged; the script waits for it before
 * starting sipp (it answers only once the server is ready and the token is fetched).
 *
 * <pre>
 * SipBot config --out FILE --port 18080 --sip-port 15060 --bench-port 18081 --data-dir DIR
 * SipBot run --base-url http://127.0.0.1:18080 --bench-port 18081
 * SipBot credentials
 * </pre>
 */
public final class SipBot {

    static final String USAGE = String.join("\n",
            "usage: SipBot config --out FILE --port P --sip-port S --bench-port Q --data-dir DIR",
            "       SipBot run [--base-url URL] [--bench-port Q] [--threads T] [--ready-timeout S]",
            "       SipBot credentials",
            "  config writes the server's YAML: one tenant, one bot app whose callbackUri is",
            "         http://127.0.0.1:Q/bot/0, and a SIP listener on 127.0.0.1:S routing sip:reception@* to it;",
            "  run    serves that callback and rejects every incoming call as busy; GET /stats for counters;",
            "  credentials prints the bot app's tenant, id and secret on one line, for bench/gobot.");

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return;
        }
        Map<String, String> o = FullLoop.options(args);
        switch (args[0]) {
            case "config" -> writeConfig(o);
            case "run" -> new SipBot(o).run();
            case "credentials" -> System.out.println(FullLoop.TENANT + " " + FullLoop.botId(0) + " "
                    + FullLoop.secret(FullLoop.botId(0)));
            default -> {
                System.err.println("unknown command " + args[0] + "\n" + USAGE);
                System.exit(2);
            }
        }
    }

    static void writeConfig(Map<String, String> o) throws IOException {
        String bot = FullLoop.botId(0);
        String y = "# written by dev.switchboard.bench.SipBot config\n"
                + "http:\n  host: 127.0.0.1\n  port: " + o.getOrDefault("port", "18080") + "\n"
                // the default store: SQLite under dataDir, synchronous=FULL (durable commits)
                + "dataDir: " + Path.of(o.get("data-dir")).toAbsolutePath() + "\n"
                + "notifications:\n  allowInsecureLoopback: true\n"
                + "sip:\n  host: 127.0.0.1\n  port: " + o.getOrDefault("sip-port", "15060") + "\n  nodeId: bench\n"
                + "  routes:\n    - {match: \"sip:reception@*\", tenant: " + FullLoop.TENANT + ", app: " + bot + "}\n"
                + "tenants:\n  - id: " + FullLoop.TENANT + "\n    apps:\n"
                + "      - id: " + bot + "\n"
                + "        name: bench-sip-bot\n"
                + "        secret: " + FullLoop.secret(bot) + "\n"
                + "        callbackUri: http://127.0.0.1:" + o.getOrDefault("bench-port", "18081") + "/bot/0\n"
                + "        permissions: [Calls.JoinGroupCall.All, Calls.Initiate.All, Calls.AccessMedia.All]\n";
        Files.writeString(Path.of(o.get("out")), y);
    }

    private final String baseUrl;
    private final int benchPort;
    private final int threads;
    private final int readyTimeoutS;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    private HttpClient client;
    private ExecutorService rejecters;
    private String token;

    SipBot(Map<String, String> o) {
        this.baseUrl = o.getOrDefault("base-url", "http://127.0.0.1:18080");
        this.benchPort = Integer.parseInt(o.getOrDefault("bench-port", "18081"));
        this.threads = Integer.parseInt(o.getOrDefault("threads", "16"));
        this.readyTimeoutS = Integer.parseInt(o.getOrDefault("ready-timeout", "60"));
    }

    void run() throws Exception {
        // as FullLoop: HTTP/1.1, blocking sends from our own bounded pool, a small fixed client executor
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(2, FullLoop.daemons("bot-http")))
                .build();
        FullLoop.awaitReady(client, baseUrl, readyTimeoutS);
        token = FullLoop.token(client, baseUrl, FullLoop.botId(0));
        rejecters = Executors.newFixedThreadPool(threads, FullLoop.daemons("bot-reject"));
        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", benchPort), 4096);
        endpoint.setExecutor(Executors.newFixedThreadPool(4, FullLoop.daemons("bot-endpoint")));
        endpoint.createContext("/bot/", this::notification);
        endpoint.createContext("/stats", this::stats);
        endpoint.start();
        System.out.println("bot listening on 127.0.0.1:" + benchPort + ", rejecting busy against " + baseUrl);
        Thread.currentThread().join(); // until the script stops the process
    }

    private void notification(HttpExchange exchange) throws IOException {
        JsonNode body;
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                count("notification without bearer");
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            body = FullLoop.MAPPER.readTree(in);
            exchange.sendResponseHeaders(202, -1);
        }
        for (JsonNode n : body.path("value")) {
            String type = n.path("changeType").asText();
            JsonNode call = n.path("resourceData");
            count(type + (type.equals("created") ? " " + call.path("state").asText() : ""));
            if (type.equals("created") && call.path("state").asText().equals("incoming")) {
                String callId = call.path("id").asText();
                rejecters.execute(() -> reject(callId));
            }
        }
    }

    private void reject(String callId) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                            URI.create(baseUrl + "/v1.0/communications/calls/" + callId + "/reject"))
                    .timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"busy\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            count("reject " + r.statusCode());
            if (r.statusCode() != 202 && counters.get("reject " + r.statusCode()).get() <= 5) {
                System.err.println("reject of " + callId + " -> " + r.statusCode() + " " + r.body());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            count("reject error");
            System.err.println("reject of " + callId + " failed: " + e);
        }
    }

    private void stats(HttpExchange exchange) throws IOException {
        Map<String, Long> snapshot = new TreeMap<>();
        counters.forEach((k, v) -> snapshot.put(k, v.get()));
        byte[] json = FullLoop.MAPPER.writeValueAsBytes(snapshot);
        try (exchange; OutputStream out = exchange.getResponseBody()) {
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, json.length);
            out.write(json);
        }
    }

    private void count(String what) {
        counters.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }
}
