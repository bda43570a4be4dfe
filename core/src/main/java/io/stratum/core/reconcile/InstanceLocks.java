package io.stratum.core.reconcile;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/** One lock per instance: operations and supervision never act on the same instance at once. */
public final class InstanceLocks {
    private final ConcurrentHashMap<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    public ReentrantLock of(String instance) {
        return locks.computeIfAbsent(instance, k -> new ReentrantLock());
    }
}
