package io.stratum.core.instance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the user asked for: the desired configuration of one instance. Immutable; changes make a new spec. */
public record InstanceSpec(String name, String engine, String version, InstanceClass instanceClass, int storageGiB,
                           int maxStorageGiB, int port, boolean publicAccess, String stack, String stage, String database,
                           String masterUser, List<String> securityGroups, int backupRetentionDays, String backupWindow,
                           boolean deletionProtection, Map<String, String> params, String tls) {

    public InstanceSpec {
        securityGroups = List.copyOf(securityGroups);
        params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    public InstanceSpec withClass(InstanceClass c) {
        return new InstanceSpec(name, engine, version, c, storageGiB, maxStorageGiB, port, publicAccess, stack, stage, database,
                masterUser, securityGroups, backupRetentionDays, backupWindow, deletionProtection, params, tls);
    }

    public InstanceSpec withStorage(int allocatedGiB, int maxGiB) {
        return new InstanceSpec(name, engine, version, instanceClass, allocatedGiB, maxGiB, port, publicAccess, stack, stage,
                database, masterUser, securityGroups, backupRetentionDays, backupWindow, deletionProtection, params, tls);
    }

    public InstanceSpec withParams(Map<String, String> newParams) {
        return new InstanceSpec(name, engine, version, instanceClass, storageGiB, maxStorageGiB, port, publicAccess, stack, stage,
                database, masterUser, securityGroups, backupRetentionDays, backupWindow, deletionProtection, newParams, tls);
    }

    public InstanceSpec withSettings(boolean protection, int retentionDays, String window) {
        return new InstanceSpec(name, engine, version, instanceClass, storageGiB, maxStorageGiB, port, publicAccess, stack, stage,
                database, masterUser, securityGroups, retentionDays, window, protection, params, tls);
    }

    public InstanceSpec withTls(String newTls) {
        return new InstanceSpec(name, engine, version, instanceClass, storageGiB, maxStorageGiB, port, publicAccess, stack, stage,
                database, masterUser, securityGroups, backupRetentionDays, backupWindow, deletionProtection, params, newTls);
    }

    public InstanceSpec withSecurityGroups(List<String> groups) {
        return new InstanceSpec(name, engine, version, instanceClass, storageGiB, maxStorageGiB, port, publicAccess, stack, stage,
                database, masterUser, groups, backupRetentionDays, backupWindow, deletionProtection, params, tls);
    }

    public long allocatedBytes() {
        return storageGiB * (1L << 30);
    }
}
