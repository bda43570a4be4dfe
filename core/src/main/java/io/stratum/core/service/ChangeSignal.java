package io.stratum.core.service;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Per record (here: per operation id), a counter that moves on every change, for readers that wait for the next
 * change instead of polling. Only records someone watches are counted, so the map stays as small as the number of
 * waiting readers. A change made by another control plane on a shared store wakes nobody here: readers re-read after
 * the slice they wait in.
 */
public final class ChangeSignal {
    private final Map<String, long[]> watched = new HashMap<>();   // id -> {generation, watchers}

    /** After a change of {@code id} is committed. */
    public synchronized void changed(String id) {
        long[] w = watched.get(id);
        if (w == null) return;
        w[0]++;
        notifyAll();
    }

    /** Starts watching {@code id}; returns its current generation. Pair with {@link #unwatch}. */
    public synchronized long watch(String id) {
        long[] w = watched.computeIfAbsent(id, k -> new long[2]);
        w[1]++;
        return w[0];
    }

    public synchronized void unwatch(String id) {
        long[] w = watched.get(id);
        if (w != null && --w[1] == 0) watched.remove(id);
    }

    /** The generation of a watched {@code id}. */
    public synchronized long generation(String id) {
        long[] w = watched.get(id);
        return w == null ? 0 : w[0];
    }

    /** Waits until {@code id} (watched) changes after generation {@code seen}, at most {@code max}. */
    public synchronized void awaitAfter(String id, long seen, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (generation(id) == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
