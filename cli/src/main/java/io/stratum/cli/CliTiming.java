package io.stratum.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a CLI call's time goes, printed to stderr when {@code STRATUM_CLI_TIMING} is set (what {@code bin/bench cli}
 * reads for its breakdown; off, it only compares a flag). Phases are marked in order; requests are summed separately
 * (a command waiting on an operation spends its time there).
 */
public final class CliTiming {
    private static final boolean ON = System.getenv("STRATUM_CLI_TIMING") != null;
    private static final Map<String, Long> MARKS = new LinkedHashMap<>();
    private static long firstRequestNanos = -1;
    private static long requestNanos;
    private static int requests;

    private CliTiming() {}

    /** Records that {@code phase} ended now. */
    public static void mark(String phase) {
        if (ON) MARKS.putIfAbsent(phase, System.nanoTime());
    }

    /** Records one request that took from {@code startNanos} until its answer's head arrived. */
    static void request(long startNanos) {
        if (!ON) return;
        long took = System.nanoTime() - startNanos;
        if (requests++ == 0) firstRequestNanos = took;
        requestNanos += took;
    }

    /**
     * One line: JVM start to main (from the JVM's uptime), each phase, the first request (connection set-up included),
     * all requests, and the total so far; nothing when timing is off.
     */
    public static void report(PrintWriter err) {
        if (!ON || MARKS.isEmpty()) return;
        long now = System.nanoTime();
        long uptimeMs = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
        long mainAt = MARKS.values().iterator().next();
        StringBuilder line = new StringBuilder("timing:");
        line.append(" jvm-start-to-main=").append(uptimeMs - ms(now - mainAt));
        long previous = mainAt;
        boolean first = true;
        for (var e : MARKS.entrySet()) {
            if (first) {
                first = false;
                continue;
            }
            line.append(' ').append(e.getKey().replace(' ', '-')).append('=').append(ms(e.getValue() - previous));
            previous = e.getValue();
        }
        if (requests > 0) {
            line.append(" first-request=").append(ms(firstRequestNanos)).append(" requests=").append(requests)
                    .append(" requests-total=").append(ms(requestNanos));
        }
        line.append(" total=").append(uptimeMs).append(" (ms)");
        err.println(line);
        err.flush();
    }

    private static long ms(long nanos) {
        return Math.round(nanos / 1e6);
    }
}
