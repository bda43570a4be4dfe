package io.stratum.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latency samples in nanoseconds and their percentiles. */
final class Samples {
    private final long[] values;
    private int n;

    Samples(int capacity) {
        values = new long[capacity];
    }

    void add(long nanos) {
        values[n++] = nanos;
    }

    double percentileMs(double p) {
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * n) - 1;
        return sorted[Math.max(0, Math.min(n - 1, idx))] / 1_000_000.0;
    }

    /** Every sample in milliseconds, in the order taken. */
    java.util.List<Double> millis() {
        return Arrays.stream(values, 0, n).mapToObj(v -> v / 1_000_000.0).toList();
    }

    Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("p50Ms", round(percentileMs(50)));
        m.put("p99Ms", round(percentileMs(99)));
        return m;
    }

    /** The middle value (the upper middle of an even count). */
    static double median(java.util.List<Double> values) {
        java.util.List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
