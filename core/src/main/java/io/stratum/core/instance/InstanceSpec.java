package io.stratum.core.instance;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the user asked for: the desired configuration of one instance. Immutable; changes make a new spec. {@code source}: the
 * instance this one is a read replica of (same stack, engine, version, database and master user), or null for a primary.
 */
public record InstanceSpec(String name, String engine, String version, InstanceClass instanceClass, int storageGiB,
                           int maxStorageGiB, int port, boolean publicAccess, String stack, String stage, String database,
                           String masterUser, List<String> securityGroups, int backupRetentionDays, String backupWindow,
                           boolean deletionProtection, Map<String, String> params, String tls, String source) {

    public InstanceSpec {
        securityGroups = List.copyOf(securityGroups);
        params = java.util.Collections.unmodifiableMap(new TreeMap<>(params));
    }

    /** A spec to fill in by name; {@link #toBuilder()} starts from an existing one. */
    public static Builder builder(String name, String engine) {
        return new Builder(name, engine);
    }

    public Builder toBuilder() {
        return new Builder(name, engine).version(version).instanceClass(instanceClass).storage(storageGiB, maxStorageGiB).port(port)
                .publicAccess(publicAccess).stage(stack, stage).database(database).masterUser(masterUser).securityGroups(securityGroups)
                .backupPolicy(backupRetentionDays, backupWindow).deletionProtection(deletionProtection).params(params).tls(tls).source(source);
    }

    public InstanceSpec withClass(InstanceClass c) {
        return toBuilder().instanceClass(c).build();
    }

    public InstanceSpec withStorage(int allocatedGiB, int maxGiB) {
        return toBuilder().storage(allocatedGiB, maxGiB).build();
    }

    public InstanceSpec withParams(Map<String, String> newParams) {
        return toBuilder().params(newParams).build();
    }

    public InstanceSpec withSettings(boolean protection, int retentionDays, String window) {
        return toBuilder().deletionProtection(protection).backupPolicy(retentionDays, window).build();
    }

    public InstanceSpec withTls(String newTls) {
        return toBuilder().tls(newTls).build();
    }

    public InstanceSpec withSecurityGroups(List<String> groups) {
        return toBuilder().securityGroups(groups).build();
    }

    /** True when this instance is a read replica of {@link #source()}. */
    public boolean isReplica() {
        return source != null;
    }

    /** {@code replica} or {@code primary} (RDS' words). */
    public String role() {
        return isReplica() ? "replica" : "primary";
    }

    public long allocatedBytes() {
        return storageGiB * (1L << 30);
    }

    /** The parts of a spec by name (19 of them: positional arguments invite swapped values of the same type). */
    public static final class Builder {
        private String name;
        private final String engine;
        private String version;
        private InstanceClass instanceClass;
        private int storageGiB;
        private int maxStorageGiB;
        private int port;
        private boolean publicAccess;
        private String stack;
        private String stage;
        private String database;
        private String masterUser;
        private List<String> securityGroups = List.of();
        private int backupRetentionDays;
        private String backupWindow;
        private boolean deletionProtection;
        private Map<String, String> params = Map.of();
        private String tls;
        private String source;

        private Builder(String name, String engine) {
            this.name = name;
            this.engine = engine;
        }

        /** Another instance's name (a replica starts from its source's spec). */
        public Builder name(String n) {
            name = n;
            return this;
        }

        public Builder version(String v) {
            version = v;
            return this;
        }

        public Builder instanceClass(InstanceClass c) {
            instanceClass = c;
            return this;
        }

        public Builder storage(int allocatedGiB, int maxGiB) {
            storageGiB = allocatedGiB;
            maxStorageGiB = maxGiB;
            return this;
        }

        public Builder port(int p) {
            port = p;
            return this;
        }

        public Builder publicAccess(boolean p) {
            publicAccess = p;
            return this;
        }

        /** The stack and stage it belongs to (both null outside any stack). */
        public Builder stage(String stackName, String stageName) {
            stack = stackName;
            stage = stageName;
            return this;
        }

        public Builder database(String d) {
            database = d;
            return this;
        }

        public Builder masterUser(String u) {
            masterUser = u;
            return this;
        }

        public Builder securityGroups(List<String> groups) {
            securityGroups = groups;
            return this;
        }

        public Builder backupPolicy(int retentionDays, String window) {
            backupRetentionDays = retentionDays;
            backupWindow = window;
            return this;
        }

        public Builder deletionProtection(boolean p) {
            deletionProtection = p;
            return this;
        }

        public Builder params(Map<String, String> p) {
            params = p;
            return this;
        }

        public Builder tls(String mode) {
            tls = mode;
            return this;
        }

        /** The instance this one replicates (null: a primary). */
        public Builder source(String sourceInstance) {
            source = sourceInstance;
            return this;
        }

        public InstanceSpec build() {
            return new InstanceSpec(name, engine, version, instanceClass, storageGiB, maxStorageGiB, port, publicAccess, stack, stage,
                    database, masterUser, securityGroups, backupRetentionDays, backupWindow, deletionProtection, params, tls, source);
        }
    }
}
