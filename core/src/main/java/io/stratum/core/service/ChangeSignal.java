package io.stratum.core.service;

import java.time.Duration;

/**
 * A counter that moves on every change of some kind of record (here: operations), for readers that wait for the next
 * change instead of polling. A wake-up says only "something changed": the reader re-reads what it watches, so a
 * change of another record, or one made by another control plane on a shared store (no wake-up at all), costs at most
 * a re-read after the slice the reader waits in.
 */
public final class ChangeSignal {
    private long generation;

    /** After a change is committed. */
    public synchronized void changed() {
        generation++;
        notifyAll();
    }

    /** The current generation, read before the reader looks at the record. */
    public synchronized long generation() {
        return generation;
    }

    /** Waits until a change after generation {@code seen}, at most {@code max}. */
    public synchronized void awaitAfter(long seen, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (generation == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            wait(Math.max(1, left / 1_000_000));
        }
    }
}
