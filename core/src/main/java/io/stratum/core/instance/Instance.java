package io.stratum.core.instance;

import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * An instance as recorded: the desired spec, its status, modifications waiting for the next reboot and observed storage
 * use. Its credentials live in the secret store (see {@code Credentials}). {@code storageFull}: its storage filled up and
 * the engine was made read-only; set when it becomes {@code storage-full}, kept through operations and stops, cleared
 * when it is next {@code available} (the engine writable again).
 */
public record Instance(InstanceSpec spec, InstanceStatus status, Map<String, String> pending, String lastError,
                       long storageUsedBytes, boolean storageFull, Instant createdAt, Instant updatedAt) {

    public Instance {
        pending = java.util.Collections.unmodifiableMap(new TreeMap<>(pending));
    }

    public String name() {
        return spec.name();
    }

    public Instance withStatus(InstanceStatus s, String error, Instant now) {
        boolean full = s == InstanceStatus.STORAGE_FULL || (s != InstanceStatus.AVAILABLE && storageFull);
        return new Instance(spec, s, pending, error, storageUsedBytes, full, createdAt, now);
    }

    public Instance withSpec(InstanceSpec newSpec, Map<String, String> newPending, Instant now) {
        return new Instance(newSpec, status, newPending, lastError, storageUsedBytes, storageFull, createdAt, now);
    }

    public Instance withStorageUsed(long bytes, Instant now) {
        return new Instance(spec, status, pending, lastError, bytes, storageFull, createdAt, now);
    }
}
