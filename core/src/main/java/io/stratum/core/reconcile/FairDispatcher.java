package io.stratum.core.reconcile;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.ToIntFunction;

/**
 * Runs work on a bounded number of workers, fairly across tenants: each tenant (a stack; Stratum's own work is a tenant
 * too) runs at most its limit at once, and when a worker frees up the tenant served longest ago gets it. So one
 * stack's hours-long restores never hold every worker while another stack's create waits.
 */
public final class FairDispatcher {
    private final int workers;
    private final ToIntFunction<String> limit;
    private final ExecutorService pool;
    private final Map<String, Deque<Runnable>> waiting = new LinkedHashMap<>();
    private final Map<String, Integer> running = new LinkedHashMap<>();
    private final Map<String, Long> lastServed = new java.util.HashMap<>();
    private long tick;
    private int busy;

    /** {@code limit}: how many of a tenant's tasks may run at once (its quota). */
    public FairDispatcher(int workers, ToIntFunction<String> limit, ExecutorService pool) {
        this.workers = workers;
        this.limit = limit;
        this.pool = pool;
    }

    public synchronized void submit(String tenant, Runnable task) {
        waiting.computeIfAbsent(tenant, t -> new ArrayDeque<>()).add(task);
        dispatch();
    }

    /** Tasks of {@code tenant} running now. */
    public synchronized int running(String tenant) {
        return running.getOrDefault(tenant, 0);
    }

    /** Tasks of {@code tenant} waiting for a worker. */
    public synchronized int waiting(String tenant) {
        Deque<Runnable> q = waiting.get(tenant);
        return q == null ? 0 : q.size();
    }

    /** Starts waiting tasks while workers are free: the tenant served longest ago first, each within its limit. */
    private void dispatch() {
        while (busy < workers) {
            String next = null;
            for (String tenant : waiting.keySet()) {
                if (running.getOrDefault(tenant, 0) >= Math.max(1, limit.applyAsInt(tenant))) continue;
                if (next == null || lastServed.getOrDefault(tenant, -1L) < lastServed.getOrDefault(next, -1L)) next = tenant;
            }
            if (next == null) return;
            Deque<Runnable> q = waiting.get(next);
            Runnable task = q.poll();
            if (q.isEmpty()) waiting.remove(next);
            lastServed.put(next, ++tick);
            start(next, task);
        }
    }

    private void start(String tenant, Runnable task) {
        busy++;
        running.merge(tenant, 1, Integer::sum);
        pool.execute(() -> {
            try {
                task.run();
            } finally {
                finished(tenant);
            }
        });
    }

    private synchronized void finished(String tenant) {
        busy--;
        running.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
        dispatch();
    }
}
