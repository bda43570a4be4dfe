package io.stratum.core.reconcile;

import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.InstanceContext;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Restores' dumps being unpacked in the background, by operation: one thread per restore in progress, started while the
 * steps before the load run, awaited by the load, or stopped (and what it unpacked removed) when the operation fails.
 */
final class StagedDumps {
    /** Threads that unpack dumps ahead of their load. */
    private static final ExecutorService THREADS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("restore-staging-", 0)
            .factory());
    private final Map<String, Staging> byOperation = new ConcurrentHashMap<>();

    /** Starts {@code unpack} for operation {@code operationId}, replacing (and stopping) an earlier one of it. */
    void start(String operationId, EngineProvider engine, InstanceContext ctx, Instant now, Runnable unpack) {
        discard(operationId);
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean entered = new AtomicBoolean();
        Future<?> work = THREADS.submit(() -> {
            entered.set(true);
            try {
                if (Thread.currentThread().isInterrupted()) return; // discarded before it began
                unpack.run();
            } finally {
                done.countDown();
            }
        });
        byOperation.put(operationId, new Staging(work, entered, done, engine, ctx, now));
    }

    /** The operation's unpacking, now the caller's to await; null when none was started. */
    Staging take(String operationId) {
        return byOperation.remove(operationId);
    }

    /** Stops and forgets the operation's unpacking, then removes what it unpacked; returns once it has stopped. */
    void discard(String operationId) {
        Staging unpacking = byOperation.remove(operationId);
        if (unpacking == null) return;
        unpacking.stop();
        try {
            unpacking.engine().discardStaged(unpacking.ctx());
        } catch (RuntimeException e) {
            // removed with the instance's directory, or by the next restore's staging
        }
    }

    /** A dump being unpacked, and the latch its thread opens when it has left the work. */
    record Staging(Future<?> work, AtomicBoolean entered, CountDownLatch done, EngineProvider engine, InstanceContext ctx, Instant started) {
        /** Waits for the unpacking; its failure is thrown as it was (an integrity error stays one). */
        void await() {
            try {
                work.get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) throw r;
                if (e.getCause() instanceof Error err) throw err;
                throw new IllegalStateException("unpacking the dump failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                stop();
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while the dump was unpacked");
            }
        }

        /** Cancels the work and waits (30 s at most, even when this thread is interrupted) until its thread has left it. */
        void stop() {
            work.cancel(true);
            if (!entered.get()) return; // it never runs now, or returns at once on the interrupt
            boolean interrupted = false;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (done.getCount() > 0 && System.nanoTime() < deadline) {
                try {
                    done.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
