package dev.switchboard.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The full-loop load generator: a caller app places a call to one of N bot apps; the bot answers the
 * {@code created} notification 202 at once and then rejects the call as busy; the loop is done when
 * the reject was acknowledged and both legs' {@code deleted} notifications arrived.
 *
 * <p>Load model: K caller workers, each with one call outstanding at a time (closed loop). With
 * {@code --rate R} the workers instead take start times from a fixed schedule of R calls/s and every
 * latency is measured from the scheduled start, so a server that falls behind shows it in the
 * latencies rather than hiding it (open loop, bounded by K outstanding calls).
 *
 * <p>Measures, per completed call: create → reject acknowledged (from sending the create to the bot's
 * 202 for its reject), reject → caller deleted (from sending the reject to the caller's endpoint
 * receiving {@code deleted}), and the whole loop (create → both {@code deleted} received).
 *
 * <p>The bots do not verify the notifications' JWT (they only check a Bearer token is present): the
 * bench measures the server, and verification would spend bench CPU on the same two cores.
 *
 * <pre>
 * FullLoop config --out FILE --port 18080 --bench-port 18081 --bots 16 --data-dir DIR
 * FullLoop run --base-url http://127.0.0.1:18080 --bench-port 18081 --bots 16 --concurrency 64 --duration 60 --warmup 10
 * </pre>
 *
 * <p>Against a cluster ({@code --base-urls} of N nodes, as {@code bench/cluster.sh} runs it) the creates go
 * round-robin over the nodes, and each bot rejects on the node after the one its calls were created on:
 * the create's node holds the call's delivery lease, so the reject's notifications cross nodes (written
 * by one, woken by NOTIFY on the other). The bot knows the node without being told because a call to
 * bot {@code b} is always created on node {@code b mod N}.
 */
public final class FullLoop {

    static final ObjectMapper MAPPER = new ObjectMapper();
    static final String TENANT = "7e7a0000-0000-4000-8000-000000000001";

    static String botId(int i) {
        return String.format("b0700000-0000-4000-8000-%012d", i);
    }

    static String callerId(int c) {
        return String.format("ca11e700-0000-4000-8000-%012d", c);
    }

    static String secret(String appId) {
        return "bench-secret-" + appId;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.println(USAGE);
            return;
        }
        Map<String, String> o = options(args);
        switch (args[0]) {
            case "config":
                writeConfig(o);
                break;
            case "run":
                System.exit(new FullLoop(o).run());
                break;
            default:
                System.err.println("unknown command " + args[0] + "\n" + USAGE);
                System.exit(2);
        }
    }

    static final String USAGE = String.join("\n",
            "usage: FullLoop config --out FILE --port P --bench-port Q --data-dir DIR [--bots N] [--callers C]",
            "                       [--graph-base-url URL] [--node-id ID] [--postgres-url JDBC_URL [--postgres-user U]",
            "                       [--pool N]]",
            "       FullLoop run [--base-url URL | --base-urls URL1,URL2,...] [--bench-port Q] [--bots N] [--callers C]",
            "                    [--concurrency K] [--rate CALLS_PER_S] [--duration S] [--warmup S] [--report-every S]",
            "                    [--timeout S] [--server-pid PID | --server-pids PID1,PID2,...] [--postgres-pid PID]",
            "                    [--endpoint-threads T] [--ready-timeout S]",
            "  --base-urls       a cluster's nodes: creates round-robin, rejects on another node than the create;",
            "                    tokens come from the first, which must be every node's graph.baseUrl",
            "  config writes the server's YAML for this bench (one tenant, C caller apps, N bot apps whose",
            "         callbackUri is http://127.0.0.1:Q/bot/<i>); run drives the full loop against it.",
            "  --concurrency K   calls outstanding at most (closed loop: each worker starts its next call",
            "                    when the last one ended); default 64",
            "  --rate R          open loop: start R calls/s on a fixed schedule (still at most K outstanding);",
            "                    latencies count from the scheduled start; default 0 = closed loop");

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("bad option " + args[i]);
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    static void writeConfig(Map<String, String> o) throws IOException {
        int bots = Integer.parseInt(o.getOrDefault("bots", "16"));
        int callers = Integer.parseInt(o.getOrDefault("callers", "1"));
        String benchPort = o.getOrDefault("bench-port", "18081");
        StringBuilder y = new StringBuilder();
        y.append("# written by dev.switchboard.bench.FullLoop config\n");
        y.append("http:\n  host: 127.0.0.1\n  port: ").append(o.getOrDefault("port", "18080")).append('\n');
        y.append("dataDir: ").append(Path.of(o.get("data-dir")).toAbsolutePath()).append('\n');
        if (o.containsKey("graph-base-url")) y.append("graph:\n  baseUrl: ").append(o.get("graph-base-url")).append('\n');
        if (o.containsKey("node-id")) y.append("node:\n  id: ").append(o.get("node-id")).append('\n');
        if (o.containsKey("postgres-url")) {
            y.append("store:\n  kind: postgres\n  url: \"").append(o.get("postgres-url")).append("\"\n");
            if (o.containsKey("postgres-user")) y.append("  user: ").append(o.get("postgres-user")).append('\n');
            if (o.containsKey("pool")) y.append("  pool: ").append(o.get("pool")).append('\n');
        }
        y.append("notifications:\n  allowInsecureLoopback: true\n");
        y.append("tenants:\n  - id: ").append(TENANT).append("\n    apps:\n");
        for (int c = 0; c < callers; c++) {
            app(y, callerId(c), "bench-caller-" + c, "http://127.0.0.1:" + benchPort + "/caller/" + c,
                    "[Calls.Initiate.All, Calls.InitiateGroupCall.All]");
        }
        for (int i = 0; i < bots; i++) {
            app(y, botId(i), "bench-bot-" + i, "http://127.0.0.1:" + benchPort + "/bot/" + i,
                    "[Calls.JoinGroupCall.All, Calls.Initiate.All, Calls.AccessMedia.All]");
        }
        Files.writeString(Path.of(o.get("out")), y.toString());
    }

    private static void app(StringBuilder y, String id, String name, String callback, String permissions) {
        y.append("      - id: ").append(id).append('\n')
                .append("        name: ").append(name).append('\n')
                .append("        secret: ").append(secret(id)).append('\n')
                .append("        callbackUri: ").append(callback).append('\n')
                .append("        permissions: ").append(permissions).append('\n');
    }

    // ---------------------------------------------------------------- the run

    /** One call in flight, keyed by its callChainId (the same on the caller's and the bot's leg). */
    static final class Flight {
        final String chain;
        /** reject acknowledged, caller deleted, bot deleted */
        final AtomicInteger parts = new AtomicInteger(3);
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile long rejectSent;
        volatile long rejectAcked;
        volatile long callerDeleted;
        volatile long botDeleted;

        Flight(String chain) {
            this.chain = chain;
        }

        void part() {
            if (parts.decrementAndGet() == 0) done.complete(null);
        }

        void fail(String why) {
            done.completeExceptionally(new IllegalStateException(why));
        }
    }

    private final String baseUrl;
    /** the nodes; {@code baseUrl} is the first */
    private final String[] baseUrls;
    private final int benchPort;
    private final int bots;
    private final int callers;
    private final int concurrency;
    private final double rate;
    private final int durationS;
    private final int warmupS;
    private final int reportEveryS;
    private final int timeoutS;
    private final long serverPid;
    private final long[] serverPids;
    private final long postgresPid;
    private final int endpointThreads;
    private final int readyTimeoutS;

    private final Map<String, Flight> flights = new ConcurrentHashMap<>();
    private final Latencies createToRejectAck = new Latencies();
    private final Latencies rejectToCallerDeleted = new Latencies();
    private final Latencies fullLoop = new Latencies();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong warmupCompleted = new AtomicLong();
    private final AtomicLong warmupFailed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong intervalCompleted = new AtomicLong();
    private final AtomicLong intervalFailed = new AtomicLong();
    private final AtomicLong errorsPrinted = new AtomicLong();
    private final AtomicLong orphanNotifications = new AtomicLong();
    private final AtomicInteger nextNode = new AtomicInteger();
    private final AtomicLong created = new AtomicLong();
    private final Map<String, AtomicLong> failureKinds = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> received = new ConcurrentHashMap<>();

    private String[] botTokens;
    private String[] callerTokens;
    private HttpClient client;
    private ExecutorService botPool;
    private volatile long measureFrom;
    private volatile long measureTo;
    private volatile boolean stopStarting;

    FullLoop(Map<String, String> o) {
        this.baseUrls = o.getOrDefault("base-urls", o.getOrDefault("base-url", "http://127.0.0.1:18080")).split(",");
        this.baseUrl = baseUrls[0];
        this.benchPort = Integer.parseInt(o.getOrDefault("bench-port", "18081"));
        this.bots = Integer.parseInt(o.getOrDefault("bots", "16"));
        this.callers = Integer.parseInt(o.getOrDefault("callers", "1"));
        this.concurrency = Integer.parseInt(o.getOrDefault("concurrency", "64"));
        this.rate = Double.parseDouble(o.getOrDefault("rate", "0"));
        this.durationS = Integer.parseInt(o.getOrDefault("duration", "60"));
        this.warmupS = Integer.parseInt(o.getOrDefault("warmup", "10"));
        this.reportEveryS = Integer.parseInt(o.getOrDefault("report-every", "10"));
        this.timeoutS = Integer.parseInt(o.getOrDefault("timeout", "30"));
        this.serverPids = java.util.Arrays.stream(o.getOrDefault("server-pids", o.getOrDefault("server-pid", "0")).split(","))
                .mapToLong(Long::parseLong).toArray();
        this.serverPid = serverPids[0];
        this.postgresPid = Long.parseLong(o.getOrDefault("postgres-pid", "0"));
        this.endpointThreads = Integer.parseInt(o.getOrDefault("endpoint-threads", "8"));
        this.readyTimeoutS = Integer.parseInt(o.getOrDefault("ready-timeout", "60"));
        if (bots < baseUrls.length) throw new IllegalArgumentException("--bots must be at least the number of nodes");
    }

    int run() throws Exception {
        // One client for every request of the bench: HTTP/1.1, blocking send from our own bounded
        // threads, and a small fixed executor so the JDK does not complete on the common pool.
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(2, daemons("bench-http")))
                .build();
        for (String url : baseUrls) awaitReady(url);
        callerTokens = new String[callers];
        for (int c = 0; c < callers; c++) callerTokens[c] = token(callerId(c));
        botTokens = new String[bots];
        for (int i = 0; i < bots; i++) botTokens[i] = token(botId(i));

        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", benchPort), 4096);
        endpoint.setExecutor(Executors.newFixedThreadPool(endpointThreads, daemons("bench-endpoint")));
        endpoint.createContext("/bot/", this::botEndpoint);
        endpoint.createContext("/caller/", this::callerEndpoint);
        endpoint.start();
        botPool = Executors.newFixedThreadPool(Math.max(4, concurrency), daemons("bench-bot"));

        ServerSampler sampler = new ServerSampler(client, baseUrl, serverPid);
        Thread samplerThread = daemons("bench-sampler").newThread(sampler);
        samplerThread.start();

        String mode = rate > 0 ? String.format("open loop at %.0f calls/s (at most %d outstanding)", rate, concurrency)
                : "closed loop, " + concurrency + " calls outstanding";
        System.out.printf("full loop against %s: %d bots, %d caller app(s), %s; warm-up %d s, measure %d s%n",
                String.join(",", baseUrls), bots, callers, mode, warmupS, durationS);
        System.out.printf("machine: %d cores, load average at start %.2f%n", Runtime.getRuntime().availableProcessors(),
                ServerSampler.load1());

        long start = System.nanoTime();
        measureFrom = start + TimeUnit.SECONDS.toNanos(warmupS);
        measureTo = measureFrom + TimeUnit.SECONDS.toNanos(durationS);
        long period = rate > 0 ? (long) (1e9 / rate) : 0;
        AtomicLong tickets = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        ThreadFactory workerThreads = daemons("bench-caller");
        for (int w = 0; w < concurrency; w++) {
            int callerIndex = w % callers;
            Thread t = workerThreads.newThread(() -> work(callerIndex, start, period, tickets));
            workers.add(t);
            t.start();
        }

        // warm-up: nothing recorded
        sleepUntil(measureFrom);
        createToRejectAck.takeInterval();
        rejectToCallerDeleted.takeInterval();
        fullLoop.takeInterval();
        intervalCompleted.set(0);
        intervalFailed.set(0);
        System.out.printf("warm-up done: %d calls completed, %d failed%n", warmupCompleted.get(), warmupFailed.get());
        System.out.println("   t(s)  calls/s  done  failed | create->reject-ack ms p50 p99 p99.9 max"
                + " | reject->caller-deleted ms p50 p99 p99.9 max | server heap MB min/max, old gen MB, RSS MB, threads"
                + " | CPU cores server/bench" + (postgresPid > 0 ? "/PostgreSQL" : "") + ", server CPU ms per call | load1");

        long intervalStart = measureFrom;
        long wallFrom = System.currentTimeMillis();
        long self = ProcessHandle.current().pid();
        long serverCpuFrom = serversCpuMillis();
        long benchCpuFrom = ServerSampler.cpuMillis(self);
        long serverCpuStart = serverCpuFrom;
        long benchCpuStart = benchCpuFrom;
        long[] nodeCpuStart = new long[serverPids.length];
        for (int i = 0; i < serverPids.length; i++) nodeCpuStart[i] = ServerSampler.cpuMillis(serverPids[i]);
        long postgresCpuStart = ServerSampler.treeCpuMillis(postgresPid);
        long postgresCpuFrom = postgresCpuStart;
        long machineBusyStart = ServerSampler.machineBusyMillis();
        while (intervalStart < measureTo) {
            long intervalEnd = Math.min(measureTo, intervalStart + TimeUnit.SECONDS.toNanos(reportEveryS));
            sleepUntil(intervalEnd);
            long wallTo = System.currentTimeMillis();
            double seconds = (intervalEnd - intervalStart) / 1e9;
            long done = intervalCompleted.getAndSet(0);
            long bad = intervalFailed.getAndSet(0);
            long serverCpu = serversCpuMillis();
            long benchCpu = ServerSampler.cpuMillis(self);
            long postgresCpu = ServerSampler.treeCpuMillis(postgresPid);
            System.out.printf("%7.0f %8.0f %5d %7d | %s | %s | %s | %s | %.2f%n", (intervalEnd - measureFrom) / 1e9,
                    done / seconds, done, bad, Latencies.summary(createToRejectAck.takeInterval()),
                    Latencies.summary(rejectToCallerDeleted.takeInterval()),
                    memory(sampler.between(wallFrom, wallTo)),
                    cpu(serverCpu - serverCpuFrom, benchCpu - benchCpuFrom, postgresPid > 0 ? postgresCpu - postgresCpuFrom : -1,
                            seconds, done), ServerSampler.load1());
            serverCpuFrom = serverCpu;
            postgresCpuFrom = postgresCpu;
            benchCpuFrom = benchCpu;
            fullLoop.takeInterval();
            intervalStart = intervalEnd;
            wallFrom = wallTo;
        }
        stopStarting = true;
        for (Thread t : workers) t.join(TimeUnit.SECONDS.toMillis(timeoutS + 5));
        sampler.stop();
        long measuredCompleted = completed.get();
        long measuredFailed = failed.get(); // of calls started after the warm-up, including late timeouts

        System.out.println();
        System.out.println("== summary ==");
        System.out.printf("mode: %s; %d bots, %d caller app(s); measured %d s after %d s warm-up%n", mode, bots,
                callers, durationS, warmupS);
        System.out.printf("calls completed in the window: %d (%.1f calls/s), failed: %d%n", measuredCompleted,
                measuredCompleted / (double) durationS, measuredFailed);
        if (!failureKinds.isEmpty()) System.out.println("failures by kind: " + failureKinds);
        System.out.println("notifications received over the whole run (warm-up included): " + new java.util.TreeMap<>(received));
        if (orphanNotifications.get() > 0) {
            System.out.println("notifications for calls no longer tracked (late or duplicate): " + orphanNotifications.get());
        }
        // each created call owes exactly one of each; anything more was sent twice (at-least-once delivery)
        long made = created.get();
        StringBuilder extra = new StringBuilder();
        for (String kind : List.of("bot created", "bot deleted", "caller deleted")) {
            long got = received.getOrDefault(kind, new AtomicLong()).get();
            if (got != made) extra.append(String.format(" %s %+d,", kind, got - made));
        }
        System.out.println("calls created (201) over the whole run: " + made + (extra.length() == 0
                ? "; every notification arrived exactly once"
                : "; notifications beyond one per call:" + extra.substring(0, extra.length() - 1)));
        System.out.println("latency (ms) of calls started in the window    p50      p99    p99.9      max   samples");
        long[] a = createToRejectAck.all();
        long[] b = rejectToCallerDeleted.all();
        long[] c = fullLoop.all();
        System.out.printf("  create -> reject acknowledged          %s %9d%n", Latencies.summary(a), a.length);
        System.out.printf("  reject -> caller's deleted delivered   %s %9d%n", Latencies.summary(b), b.length);
        System.out.printf("  create -> both deleted (full loop)     %s %9d%n", Latencies.summary(c), c.length);
        double serverCores = (serversCpuMillis() - serverCpuStart) / 1000.0 / durationS;
        double benchCores = (ServerSampler.cpuMillis(self) - benchCpuStart) / 1000.0 / durationS;
        if (serverPid > 0) {
            System.out.printf("CPU over the window (incl. the drain after it): server %.2f cores, bench %.2f cores;"
                    + " server %.2f CPU ms per completed call; load average now %.2f%n", serverCores, benchCores,
                    measuredCompleted == 0 ? 0 : serverCores * durationS * 1000 / measuredCompleted, ServerSampler.load1());
        }
        // what else ran on the machine meanwhile: other people's builds take the same cores
        double machineCores = (ServerSampler.machineBusyMillis() - machineBusyStart) / 1000.0 / durationS;
        double postgresCores = (ServerSampler.treeCpuMillis(postgresPid) - postgresCpuStart) / 1000.0 / durationS;
        System.out.printf("machine busy over the window: %.2f of %d cores, of which this benchmark %.2f, other processes %.2f%n",
                machineCores, Runtime.getRuntime().availableProcessors(), serverCores + benchCores + postgresCores,
                machineCores - serverCores - benchCores - postgresCores);
        if (serverPids.length > 1 || postgresPid > 0) {
            StringBuilder split = new StringBuilder("CPU split over the window, cores:");
            for (int i = 0; i < serverPids.length; i++) {
                split.append(String.format(" node %d %.2f,", i + 1,
                        (ServerSampler.cpuMillis(serverPids[i]) - nodeCpuStart[i]) / 1000.0 / durationS));
            }
            if (postgresPid > 0) {
                double pgCores = (ServerSampler.treeCpuMillis(postgresPid) - postgresCpuStart) / 1000.0 / durationS;
                split.append(String.format(" PostgreSQL %.2f (%.2f CPU ms per call),", pgCores,
                        measuredCompleted == 0 ? 0 : pgCores * durationS * 1000 / measuredCompleted));
            }
            split.append(String.format(" bench %.2f", benchCores));
            System.out.println(split);
        }
        List<ServerSampler.Sample> all = sampler.samples();
        printMemory(all, start);
        double p99 = Latencies.ms(Latencies.quantile(a, 0.99));
        double perSecond = measuredCompleted / (double) durationS;
        System.out.printf("target (>= 1000 calls/s, p99 reject acknowledged < 20 ms): %s (%.0f calls/s, p99 %.1f ms)%n",
                perSecond >= 1000 && p99 >= 0 && p99 < 20 && measuredFailed == 0 ? "MET" : "NOT MET", perSecond, p99);
        endpoint.stop(0);
        return 0;
    }

    private void work(int callerIndex, long start, long period, AtomicLong tickets) {
        while (!stopStarting) {
            long t0;
            if (period > 0) {
                long scheduled = start + tickets.getAndIncrement() * period;
                if (scheduled - measureTo >= 0) return;
                sleepUntil(scheduled);
                t0 = scheduled;
            } else {
                t0 = System.nanoTime();
                if (t0 - measureTo >= 0) return;
            }
            oneCall(callerIndex, t0);
        }
    }

    private void oneCall(int callerIndex, long t0) {
        int n = baseUrls.length;
        int node = Math.floorMod(nextNode.getAndIncrement(), n);
        // a bot of node's residue class, so the bot can tell which node created its call
        int bot = node + n * java.util.concurrent.ThreadLocalRandom.current().nextInt((bots - node + n - 1) / n);
        String body = "{\"@odata.type\":\"#microsoft.graph.call\",\"callbackUri\":\"http://127.0.0.1:" + benchPort
                + "/caller/" + callerIndex + "\",\"targets\":[{\"@odata.type\":\"#microsoft.graph.invitationParticipantInfo\","
                + "\"identity\":{\"application\":{\"id\":\"" + botId(bot) + "\"}}}],\"requestedModalities\":[\"audio\"],"
                + "\"mediaConfig\":{\"@odata.type\":\"#microsoft.graph.serviceHostedMediaConfig\"}}";
        Flight flight = null;
        try {
            HttpResponse<String> r = client.send(request(baseUrls[node], "/v1.0/communications/calls", callerTokens[callerIndex], body),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 201) created.incrementAndGet();
            if (r.statusCode() != 201) {
                failure(t0, "create " + r.statusCode(), "create -> " + r.statusCode() + " " + r.body());
                return;
            }
            String chain = MAPPER.readTree(r.body()).path("callChainId").asText(null);
            if (chain == null) {
                failure(t0, "create without callChainId", "201 without callChainId: " + r.body());
                return;
            }
            flight = flights.computeIfAbsent(chain, Flight::new);
            flight.done.get(timeoutS, TimeUnit.SECONDS);
            long end = Math.max(flight.callerDeleted, flight.botDeleted);
            if (inWindow(t0)) {
                createToRejectAck.add((flight.rejectAcked - t0) / 1000);
                rejectToCallerDeleted.add((flight.callerDeleted - flight.rejectSent) / 1000);
                fullLoop.add((end - t0) / 1000);
            }
            if (inWindow(end)) { // throughput counts calls by when they ended
                completed.incrementAndGet();
                intervalCompleted.incrementAndGet();
            } else if (end - measureFrom < 0) {
                warmupCompleted.incrementAndGet();
            }
        } catch (TimeoutException e) {
            failure(t0, "timeout", "call " + flight.chain + " not done within " + timeoutS + " s (parts left "
                    + flight.parts.get() + ")");
        } catch (java.util.concurrent.ExecutionException e) {
            failure(t0, "bot", e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            failure(t0, e.getClass().getSimpleName(), "create failed: " + e);
        } finally {
            if (flight != null) flights.remove(flight.chain);
        }
    }

    private boolean inWindow(long t) {
        return t - measureFrom >= 0 && t - measureTo < 0;
    }

    private void failure(long t0, String kind, String message) {
        if (t0 - measureFrom >= 0) {
            failed.incrementAndGet();
            intervalFailed.incrementAndGet();
        } else {
            warmupFailed.incrementAndGet();
        }
        failureKinds.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (errorsPrinted.incrementAndGet() <= 10) System.err.println("failure: " + message);
    }

    // ---------------------------------------------------------------- the endpoints

    private void botEndpoint(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        JsonNode body = accept(exchange);
        if (body == null) return;
        int bot = Integer.parseInt(exchange.getRequestURI().getPath().substring("/bot/".length()));
        for (JsonNode n : body.path("value")) {
            String type = n.path("changeType").asText();
            count("bot " + type);
            JsonNode call = n.path("resourceData");
            String chain = call.path("callChainId").asText();
            if (type.equals("created") && call.path("state").asText().equals("incoming")) {
                Flight flight = flights.computeIfAbsent(chain, Flight::new);
                String callId = call.path("id").asText();
                botPool.execute(() -> reject(bot, callId, flight));
            } else if (type.equals("deleted")) {
                Flight flight = flights.get(chain);
                if (flight == null) {
                    orphanNotifications.incrementAndGet();
                } else {
                    flight.botDeleted = now;
                    flight.part();
                }
            }
        }
    }

    private void callerEndpoint(HttpExchange exchange) throws IOException {
        long now = System.nanoTime();
        JsonNode body = accept(exchange);
        if (body == null) return;
        for (JsonNode n : body.path("value")) {
            String type = n.path("changeType").asText();
            count("caller " + type);
            if (!type.equals("deleted")) continue;
            JsonNode call = n.path("resourceData");
            Flight flight = flights.get(call.path("callChainId").asText());
            if (flight == null) {
                orphanNotifications.incrementAndGet();
                continue;
            }
            int code = call.path("resultInfo").path("code").asInt();
            flight.callerDeleted = now;
            if (code != 486) flight.fail("caller's deleted carried resultInfo " + code + ", not 486");
            else flight.part();
        }
    }

    /** Reads the notification, answers 202 at once (no JWT verification: see the class comment). */
    private static JsonNode accept(HttpExchange exchange) throws IOException {
        try (exchange; InputStream in = exchange.getRequestBody()) {
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                exchange.sendResponseHeaders(401, -1);
                return null;
            }
            JsonNode body = MAPPER.readTree(in);
            exchange.sendResponseHeaders(202, -1);
            return body;
        }
    }

    private void count(String what) {
        received.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    private void reject(int bot, String callId, Flight flight) {
        try {
            flight.rejectSent = System.nanoTime();
            String otherNode = baseUrls[(bot % baseUrls.length + 1) % baseUrls.length];
            HttpResponse<String> r = client.send(request(otherNode, "/v1.0/communications/calls/" + callId + "/reject",
                    botTokens[bot], "{\"reason\":\"busy\"}"), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 202) {
                flight.fail("reject -> " + r.statusCode() + " " + r.body());
                return;
            }
            flight.rejectAcked = System.nanoTime();
            flight.part();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            flight.fail("reject failed: " + e);
        }
    }

    // ---------------------------------------------------------------- helpers

    private HttpRequest request(String node, String path, String token, String json) {
        return HttpRequest.newBuilder(URI.create(node + path))
                .timeout(Duration.ofSeconds(timeoutS))
                .header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
    }

    private String token(String appId) throws IOException, InterruptedException {
        return token(client, baseUrl, appId);
    }

    /** A token for one of the bench's apps from the server at {@code baseUrl} (also SipBot's). */
    static String token(HttpClient client, String baseUrl, String appId) throws IOException, InterruptedException {
        String form = "grant_type=client_credentials&client_id=" + enc(appId) + "&client_secret=" + enc(secret(appId))
                + "&scope=" + enc(baseUrl + "/.default");
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/" + TENANT + "/oauth2/v2.0/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) throw new IOException("token for " + appId + " -> " + r.statusCode() + " " + r.body());
        return MAPPER.readTree(r.body()).get("access_token").asText();
    }

    private void awaitReady(String baseUrl) throws InterruptedException {
        awaitReady(client, baseUrl, readyTimeoutS);
    }

    /** Waits until {@code baseUrl/readyz} answers 200 (also SipBot's). */
    static void awaitReady(HttpClient client, String baseUrl, long readyTimeoutS) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(readyTimeoutS);
        while (true) {
            try {
                HttpResponse<Void> r = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/readyz"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) return;
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() - deadline > 0) throw new IllegalStateException(baseUrl + "/readyz not ready in time");
            Thread.sleep(200);
        }
    }

    private static String memory(List<ServerSampler.Sample> samples) {
        if (samples.isEmpty()) return "(no samples)";
        long min = Long.MAX_VALUE;
        long max = 0;
        for (ServerSampler.Sample s : samples) {
            min = Math.min(min, s.heapUsed());
            max = Math.max(max, s.heapUsed());
        }
        ServerSampler.Sample last = samples.get(samples.size() - 1);
        return String.format("%4d/%4d, %4d, %4s, %3s", min >> 20, max >> 20, last.oldGenUsed() >> 20,
                last.rssKb() < 0 ? "-" : String.valueOf(last.rssKb() >> 10),
                last.threads() < 0 ? "-" : String.valueOf(last.threads()));
    }

    /** CPU of all the server nodes together, ms; -1 if any is unknown. */
    private long serversCpuMillis() {
        long sum = 0;
        for (long pid : serverPids) {
            long ms = ServerSampler.cpuMillis(pid);
            if (ms < 0) return -1;
            sum += ms;
        }
        return sum;
    }

    private static String cpu(long serverMs, long benchMs, long postgresMs, double seconds, long calls) {
        if (serverMs < 0) return "-";
        return String.format("%.2f/%.2f%s, %.1f", serverMs / 1000.0 / seconds, benchMs / 1000.0 / seconds,
                postgresMs < 0 ? "" : String.format("/%.2f", postgresMs / 1000.0 / seconds),
                calls == 0 ? 0.0 : serverMs / (double) calls);
    }

    private void printMemory(List<ServerSampler.Sample> all, long startNanos) {
        if (all.isEmpty()) {
            System.out.println("server memory: no samples");
            return;
        }
        System.out.println("server memory, one sample every 10 s (heap used MB / old gen MB / committed MB / RSS MB / threads):");
        StringBuilder line = new StringBuilder(" ");
        long t0 = all.get(0).atMillis();
        long next = t0;
        for (ServerSampler.Sample s : all) {
            if (s.atMillis() < next) continue;
            line.append(String.format(" [%ds %d/%d/%d/%s/%d]", (s.atMillis() - t0) / 1000, s.heapUsed() >> 20,
                    s.oldGenUsed() >> 20, s.heapCommitted() >> 20, s.rssKb() < 0 ? "-" : String.valueOf(s.rssKb() >> 10),
                    s.threads()));
            next = s.atMillis() + 10_000;
        }
        System.out.println(line);
        // The heap's floor (lowest sample) per third of the run: a leak shows as a rising floor.
        int n = all.size();
        long[] floors = new long[3];
        long[] rss = new long[3];
        for (int part = 0; part < 3; part++) {
            long floor = Long.MAX_VALUE;
            long maxRss = 0;
            for (int i = part * n / 3; i < (part + 1) * n / 3; i++) {
                floor = Math.min(floor, all.get(i).heapUsed());
                maxRss = Math.max(maxRss, all.get(i).rssKb());
            }
            floors[part] = floor == Long.MAX_VALUE ? -1 : floor >> 20;
            rss[part] = maxRss >> 10;
        }
        System.out.printf("heap floor (min used) per third of the run: %d / %d / %d MB; max RSS per third: %d / %d / %d MB%n",
                floors[0], floors[1], floors[2], rss[0], rss[1], rss[2]);
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) LockSupport.parkNanos(left);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static ThreadFactory daemons(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

}
