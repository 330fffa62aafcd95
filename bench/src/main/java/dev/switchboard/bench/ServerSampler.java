package dev.switchboard.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Samples the server once a second: heap used (sum of the heap pools of {@code GET /metrics}), the old
 * generation alone (what a leak fills), and, when the server's pid is known, its RSS and thread count
 * from /proc. Also the machine's 1-minute load average.
 */
final class ServerSampler implements Runnable {

    record Sample(long atMillis, long heapUsed, long oldGenUsed, long heapCommitted, long rssKb, int threads, double load1) {}

    /** CPU time (user + system) the process with {@code pid} has used so far, in ms; -1 if unknown. */
    static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14, 15)
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * CPU time of {@code pid} and its children, ms: the live ones from their own stat, the ended ones
     * from the parent's cutime/cstime, so a backend that exits mid-run moves its time from one to the
     * other instead of losing it. 0 for pid 0.
     */
    static long treeCpuMillis(long pid) {
        if (pid <= 0) return 0;
        try {
            long ticks = 0;
            try (java.util.stream.Stream<Path> procs = Files.list(Path.of("/proc"))) {
                for (Path p : (Iterable<Path>) procs::iterator) {
                    String name = p.getFileName().toString();
                    if (!name.chars().allMatch(Character::isDigit)) continue;
                    String[] f;
                    try {
                        String stat = Files.readString(p.resolve("stat"));
                        f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    } catch (IOException gone) {
                        continue;
                    }
                    long self = Long.parseLong(name);
                    // fields from state (3): ppid 4, utime 14, stime 15, cutime 16, cstime 17
                    if (self == pid) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
                    } else if (Long.parseLong(f[1]) == pid) {
                        ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                    }
                }
            }
            return ticks * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** CPU time the whole machine has spent busy (all but idle and iowait), in ms; -1 if unknown. */
    static long machineBusyMillis() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            // cpu user nice system idle iowait irq softirq steal (guest time is already in user)
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) busy += Long.parseLong(f[i]);
            return busy * 10;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private final HttpClient client;
    private final URI metrics;
    private final long pid;
    private final List<Sample> samples = new ArrayList<>();
    private volatile boolean running = true;

    ServerSampler(HttpClient client, String baseUrl, long pid) {
        this.client = client;
        this.metrics = URI.create(baseUrl + "/metrics");
        this.pid = pid;
    }

    void stop() {
        running = false;
    }

    synchronized List<Sample> samples() {
        return List.copyOf(samples);
    }

    /** Samples taken at or after {@code fromMillis} and before {@code toMillis}. */
    synchronized List<Sample> between(long fromMillis, long toMillis) {
        List<Sample> out = new ArrayList<>();
        for (Sample s : samples) if (s.atMillis >= fromMillis && s.atMillis < toMillis) out.add(s);
        return out;
    }

    @Override
    public void run() {
        while (running) {
            long started = System.currentTimeMillis();
            try {
                Sample s = sample();
                synchronized (this) {
                    samples.add(s);
                }
            } catch (Exception e) {
                // a missed sample is not worth stopping the run for
            }
            long sleep = 1000 - (System.currentTimeMillis() - started);
            if (sleep > 0) {
                try {
                    Thread.sleep(sleep);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    Sample sample() throws IOException, InterruptedException {
        long heap = 0;
        long old = 0;
        long committed = 0;
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(metrics).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        for (String line : r.body().split("\n")) {
            if (line.startsWith("#")) continue;
            boolean heapArea = line.contains("area=\"heap\"");
            if (!heapArea) continue;
            long value = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (line.startsWith("jvm_memory_used_bytes{")) {
                heap += value;
                if (line.contains("Old Gen") || line.contains("Tenured")) old += value;
            } else if (line.startsWith("jvm_memory_committed_bytes{")) {
                committed += value;
            }
        }
        long rss = -1;
        int threads = -1;
        if (pid > 0) {
            Path status = Path.of("/proc/" + pid + "/status");
            if (Files.isReadable(status)) {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    if (line.startsWith("Threads:")) threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        return new Sample(System.currentTimeMillis(), heap, old, committed, rss, threads, load1());
    }

    static double load1() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
