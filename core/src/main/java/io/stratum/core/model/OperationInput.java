package io.stratum.core.model;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an operation was asked to do, one record per {@link OperationType}. Stored as a flat text map (the operation's
 * {@code input} column); {@link #decode} reads both this shape and the one written before it was typed (the same keys).
 */
public sealed interface OperationInput {
    OperationType type();

    /** The backup this operation takes (restore --into: the pre-restore snapshot) or, creating an instance, restores from. */
    default Optional<String> backup() {
        return Optional.empty();
    }

    /** A new instance, empty or restored from {@code restoreFrom}; a drill checks the restore and removes the instance. */
    record Create(String restoreFrom, boolean drill) implements OperationInput {
        public Create {
            if (drill && restoreFrom == null) throw new IllegalArgumentException("a restore drill needs the backup it restores");
        }

        public static Create empty() {
            return new Create(null, false);
        }

        public OperationType type() {
            return OperationType.CREATE;
        }

        @Override
        public Optional<String> backup() {
            return Optional.ofNullable(restoreFrom);
        }
    }

    record Start() implements OperationInput {
        public OperationType type() {
            return OperationType.START;
        }
    }

    record Stop() implements OperationInput {
        public OperationType type() {
            return OperationType.STOP;
        }
    }

    record Reboot() implements OperationInput {
        public OperationType type() {
            return OperationType.REBOOT;
        }
    }

    /**
     * A modification: of a stopped instance (configuration only), or with a restart (static settings, class, TLS), or
     * with {@code live} settings applied and verified without one; {@code ingress} when its security groups changed.
     */
    record Modify(boolean stopped, boolean restart, Set<String> live, boolean ingress) implements OperationInput {
        public Modify {
            live = Set.copyOf(live);
            if (stopped && (restart || !live.isEmpty())) throw new IllegalArgumentException("a stopped instance is neither restarted nor changed live");
            if (restart && !live.isEmpty()) throw new IllegalArgumentException("a restart applies every setting; nothing is applied live");
        }

        public OperationType type() {
            return OperationType.MODIFY;
        }
    }

    /**
     * A delete, after a final snapshot into {@code finalSnapshot} (null: skipped); {@code replicaOf}: the deleted instance
     * is a read replica of that instance, whose replication slot for it goes too.
     */
    record Delete(String finalSnapshot, String replicaOf) implements OperationInput {
        public Delete(String finalSnapshot) {
            this(finalSnapshot, null);
        }

        public Delete {
            if (finalSnapshot != null && replicaOf != null) throw new IllegalArgumentException("a read replica has no final snapshot");
        }

        public OperationType type() {
            return OperationType.DELETE;
        }

        @Override
        public Optional<String> backup() {
            return Optional.ofNullable(finalSnapshot);
        }
    }

    record TakeBackup(String backupId) implements OperationInput {
        public TakeBackup {
            if (backupId == null) throw new IllegalArgumentException("a backup operation needs its backup's id");
        }

        public OperationType type() {
            return OperationType.BACKUP;
        }

        @Override
        public Optional<String> backup() {
            return Optional.of(backupId);
        }
    }

    /** Replaces an instance's data with {@code source}'s, after a snapshot of the current data into {@code preRestoreSnapshot}. */
    record Restore(String preRestoreSnapshot, String source) implements OperationInput {
        public Restore {
            if (preRestoreSnapshot == null || source == null) throw new IllegalArgumentException("a restore needs its snapshot and source");
        }

        public OperationType type() {
            return OperationType.RESTORE;
        }

        @Override
        public Optional<String> backup() {
            return Optional.of(preRestoreSnapshot);
        }
    }

    /** A read replica of {@code source}, seeded from it and then following it. */
    record CreateReplica(String source) implements OperationInput {
        public CreateReplica {
            if (source == null) throw new IllegalArgumentException("a replica needs its source");
        }

        public OperationType type() {
            return OperationType.CREATE_REPLICA;
        }
    }

    /** Read replica made standalone: it stops following {@code source} and takes writes. */
    record Promote(String source) implements OperationInput {
        public Promote {
            if (source == null) throw new IllegalArgumentException("a promotion needs the source the replica followed");
        }

        public OperationType type() {
            return OperationType.PROMOTE;
        }
    }

    record RotatePassword() implements OperationInput {
        public OperationType type() {
            return OperationType.ROTATE_PASSWORD;
        }
    }

    record ExternalBackup(String backupId) implements OperationInput {
        public ExternalBackup {
            if (backupId == null) throw new IllegalArgumentException("an external backup needs its backup's id");
        }

        public OperationType type() {
            return OperationType.EXTERNAL_BACKUP;
        }

        @Override
        public Optional<String> backup() {
            return Optional.of(backupId);
        }
    }

    // the stored keys (unchanged from the untyped shape, so stored operations read back as they were)
    String BACKUP = "backup";
    String SOURCE = "source";
    String DRILL = "drill";
    String RESTART = "restart";
    String LIVE = "live";
    String STOPPED = "stopped";
    String INGRESS = "ingress";
    String REPLICA_OF = "replica-of";

    /** The stored form: flags as {@code "true"}, absent when false. */
    default Map<String, String> encode() {
        Map<String, String> m = new TreeMap<>();
        switch (this) {
            case Create c -> {
                if (c.restoreFrom() != null) m.put(BACKUP, c.restoreFrom());
                if (c.drill()) m.put(DRILL, "true");
            }
            case Modify x -> {
                if (x.stopped()) m.put(STOPPED, "true");
                if (x.restart()) m.put(RESTART, "true");
                if (!x.live().isEmpty()) m.put(LIVE, String.join(",", new TreeSet<>(x.live())));
                if (x.ingress()) m.put(INGRESS, "true");
            }
            case Delete d -> {
                if (d.finalSnapshot() != null) m.put(BACKUP, d.finalSnapshot());
                if (d.replicaOf() != null) m.put(REPLICA_OF, d.replicaOf());
            }
            case CreateReplica c -> m.put(SOURCE, c.source());
            case Promote x -> m.put(SOURCE, x.source());
            case TakeBackup b -> m.put(BACKUP, b.backupId());
            case Restore r -> {
                m.put(BACKUP, r.preRestoreSnapshot());
                m.put(SOURCE, r.source());
            }
            case ExternalBackup e -> m.put(BACKUP, e.backupId());
            case Start s -> { }
            case Stop s -> { }
            case Reboot r -> { }
            case RotatePassword r -> { }
        }
        return m;
    }

    static OperationInput decode(OperationType type, Map<String, String> m) {
        return switch (type) {
            case CREATE -> new Create(m.get(BACKUP), flag(m, DRILL));
            case START -> new Start();
            case STOP -> new Stop();
            case REBOOT -> new Reboot();
            case MODIFY -> new Modify(flag(m, STOPPED), flag(m, RESTART), m.getOrDefault(LIVE, "").isEmpty() ? Set.of()
                    : new TreeSet<>(Arrays.asList(m.get(LIVE).split(","))), flag(m, INGRESS));
            case DELETE -> new Delete(m.get(BACKUP), m.get(REPLICA_OF));
            case CREATE_REPLICA -> new CreateReplica(m.get(SOURCE));
            case PROMOTE -> new Promote(m.get(SOURCE));
            case ROTATE_PASSWORD -> new RotatePassword();
            case BACKUP -> new TakeBackup(m.get(BACKUP));
            case RESTORE -> new Restore(m.get(BACKUP), m.get(SOURCE));
            case EXTERNAL_BACKUP -> new ExternalBackup(m.get(BACKUP));
        };
    }

    private static boolean flag(Map<String, String> m, String key) {
        return Boolean.parseBoolean(m.getOrDefault(key, "false"));
    }
}
