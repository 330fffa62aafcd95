package dev.switchboard.bench;

import java.util.Arrays;

/**
 * Every latency sample of one measure, in microseconds: a growable long[] per reporting interval plus
 * one for the whole run. At about 1,000 samples a second a 60 s run is a few hundred kilobytes, so
 * exact percentiles (sort and index) are cheaper to trust than a bucketed histogram.
 */
final class Latencies {

    private long[] interval = new long[4096];
    private int intervalCount;
    private long[] total = new long[65536];
    private int totalCount;

    synchronized void add(long micros) {
        if (intervalCount == interval.length) interval = Arrays.copyOf(interval, interval.length * 2);
        interval[intervalCount++] = micros;
        if (totalCount == total.length) total = Arrays.copyOf(total, total.length * 2);
        total[totalCount++] = micros;
    }

    /** The samples since the last call, sorted; starts a new interval. */
    synchronized long[] takeInterval() {
        long[] out = Arrays.copyOf(interval, intervalCount);
        intervalCount = 0;
        Arrays.sort(out);
        return out;
    }

    synchronized long[] all() {
        long[] out = Arrays.copyOf(total, totalCount);
        Arrays.sort(out);
        return out;
    }

    /** The p-quantile (0..1) of sorted samples, nearest rank; -1 when empty. */
    static long quantile(long[] sorted, double p) {
        if (sorted.length == 0) return -1;
        int rank = (int) Math.ceil(p * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** "p50 / p99 / p99.9 / max" in milliseconds with one decimal. */
    static String summary(long[] sorted) {
        if (sorted.length == 0) return "        -        -        -        -";
        return String.format("%8.1f %8.1f %8.1f %8.1f", ms(quantile(sorted, 0.50)), ms(quantile(sorted, 0.99)),
                ms(quantile(sorted, 0.999)), ms(sorted[sorted.length - 1]));
    }

    static double ms(long micros) {
        return micros / 1000.0;
    }
}
