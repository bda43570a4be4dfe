package io.stratum.core.backup;

import java.time.Duration;
import java.util.Locale;

/** A transfer's progress for people: bytes so far (of about how many), rate and time left (pure). */
public final class TransferProgress {
    private TransferProgress() {}

    /** The rate is known once this long has passed with a twentieth of the total (or a megabyte) moved. */
    static final Duration MEASURED = Duration.ofSeconds(2);

    /**
     * E.g. {@code "412 MB of ~1.0 GB, 85.3 MB/s, ETA 7 s"}; without a total, or before the rate is known (the first
     * moments of a transfer are start-up, not throughput): bytes and rate only.
     */
    public static String describe(long bytes, long total, Duration elapsed) {
        double seconds = Math.max(elapsed.toMillis(), 1) / 1000.0;
        double rate = bytes / seconds;
        StringBuilder s = new StringBuilder(size(bytes));
        if (total > 0) s.append(" of ~").append(size(total));
        s.append(", ").append(size((long) rate)).append("/s");
        boolean rateKnown = elapsed.compareTo(MEASURED) >= 0 && bytes >= Math.min(1_000_000, Math.max(1, total / 20));
        if (total > bytes && rate > 0 && rateKnown) s.append(", ETA ").append(duration(Math.round((total - bytes) / rate)));
        return s.toString();
    }

    /** The fraction done, below 1 until the step ends (an estimate can be exceeded). */
    public static double fraction(long bytes, long total) {
        return total <= 0 ? 0 : Math.min(0.99, (double) bytes / total);
    }

    public static String size(long bytes) {
        if (bytes < 1_000_000) return Math.round(bytes / 1000.0) + " kB";
        if (bytes < 1_000_000_000) return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1e9);
    }

    static String duration(long seconds) {
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? (seconds / 60) + " min" : (seconds / 3600) + " h";
    }
}
