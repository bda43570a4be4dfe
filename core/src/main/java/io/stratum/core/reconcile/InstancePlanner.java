package io.stratum.core.reconcile;

import static io.stratum.core.reconcile.Step.*;

import io.stratum.core.model.OperationInput;
import java.util.ArrayList;
import java.util.List;

/** Plans an instance operation as a list of steps: a pure function of what is asked. */
public final class InstancePlanner {
    private InstancePlanner() {}

    public static InstancePlan plan(OperationInput input) {
        return new InstancePlan(input, steps(input));
    }

    private static List<Step> steps(OperationInput input) {
        return switch (input) {
            // a new instance loads in the engine's bulk-load mode (nobody uses it yet); a drill's scratch instance is removed
            // without leaving it
            case OperationInput.Create c when c.drill() -> List.of(CREATE_DIRECTORIES, PREPARE_DATA, WRITE_CONFIG, BEGIN_BULK_LOAD,
                    APPLY_FIREWALL, START, BOOTSTRAP, EMPTY_DATABASE, RESTORE_BACKUP, BOOTSTRAP, VERIFY, CHECK_DRILL, STOP, APPLY_FIREWALL,
                    REMOVE_DATA, MARK_DELETED);
            // the load goes into a database emptied just before it (a load cut short by a crash resumes from the emptying),
            // and the database's own settings and rights are applied again after it, as a restore into an instance does;
            // the engine leaves its bulk-load mode (a restart: everything loaded is on disk) before anyone connects; the
            // start after it finds the engine running, unless a crash came between the restart's stop and its start
            case OperationInput.Create c when c.restoreFrom() != null -> List.of(CREATE_DIRECTORIES, PREPARE_DATA, WRITE_CONFIG,
                    BEGIN_BULK_LOAD, APPLY_FIREWALL, START, BOOTSTRAP, EMPTY_DATABASE, RESTORE_BACKUP, END_BULK_LOAD, START, BOOTSTRAP,
                    VERIFY, MARK_AVAILABLE);
            case OperationInput.Create c -> List.of(CREATE_DIRECTORIES, PREPARE_DATA, WRITE_CONFIG, APPLY_FIREWALL, START, BOOTSTRAP,
                    VERIFY, MARK_AVAILABLE);
            // a start or reboot repairs the layout (and moves an instance of the shared OS user to its own) while the
            // engine is stopped, and re-applies the tenant's limits after it runs
            case OperationInput.Start s -> List.of(CREATE_DIRECTORIES, WRITE_CONFIG, APPLY_FIREWALL, START, BOOTSTRAP, APPLY_INGRESS,
                    VERIFY, MARK_AVAILABLE);
            case OperationInput.Stop s -> List.of(STOP, MARK_STOPPED);
            case OperationInput.Reboot r -> List.of(APPLY_PENDING, STOP, CREATE_DIRECTORIES, WRITE_CONFIG, START, BOOTSTRAP, VERIFY,
                    MARK_AVAILABLE);
            case OperationInput.Modify m -> modify(m);
            // the kernel table first admits the replica's OS user to its source; the source gets its replication role and a
            // slot that keeps the WAL the copy needs; the copy runs as a hot standby (read-only) that never bootstraps:
            // everything it has comes from its source
            case OperationInput.CreateReplica c -> List.of(CREATE_DIRECTORIES, APPLY_FIREWALL, PREPARE_SOURCE, SEED_REPLICA, WRITE_CONFIG,
                    START, VERIFY, MARK_AVAILABLE);
            // the engine leaves recovery first; then the record (its own master secret, no source), its config without the
            // source, the source's slot for it dropped, and the tenant's limits as on any primary
            case OperationInput.Promote p -> List.of(PROMOTE_ENGINE, DETACH_REPLICA, WRITE_CONFIG, APPLY_FIREWALL, DROP_REPLICATION_SLOT,
                    BOOTSTRAP, VERIFY, MARK_AVAILABLE);
            case OperationInput.Delete d when d.replicaOf() != null -> List.of(STOP, APPLY_FIREWALL, DROP_REPLICATION_SLOT, REMOVE_DATA,
                    MARK_DELETED);
            case OperationInput.Delete d -> d.finalSnapshot() != null ? List.of(TAKE_BACKUP, STOP, APPLY_FIREWALL, REMOVE_DATA, MARK_DELETED)
                    : List.of(STOP, APPLY_FIREWALL, REMOVE_DATA, MARK_DELETED);
            case OperationInput.TakeBackup b -> List.of(TAKE_BACKUP, MARK_AVAILABLE);
            // the database is recreated by the restore: managed users get their rights on it again (bootstrap)
            case OperationInput.Restore r -> List.of(TAKE_BACKUP, EMPTY_DATABASE, RESTORE_BACKUP, BOOTSTRAP, VERIFY, MARK_AVAILABLE);
            case OperationInput.RotatePassword r -> List.of(STAGE_PASSWORD, WRITE_CONFIG, BOOTSTRAP, VERIFY, PROMOTE_PASSWORD);
            case OperationInput.ExternalBackup e -> throw new IllegalArgumentException("an external backup has no instance steps");
        };
    }

    /** Security group changes apply at once (as in RDS): the kernel table after the config, the engine once it runs. */
    private static List<Step> modify(OperationInput.Modify m) {
        List<Step> steps = new ArrayList<>();
        if (m.stopped()) {
            steps.add(WRITE_CONFIG);
            if (m.ingress()) steps.add(APPLY_FIREWALL);
            steps.add(MARK_STOPPED);
            return steps;
        }
        if (m.restart()) steps.add(APPLY_PENDING);
        steps.add(WRITE_CONFIG);
        if (m.ingress()) steps.add(APPLY_FIREWALL);
        steps.addAll(m.restart() ? List.of(STOP, START) : List.of(APPLY_LIVE));
        if (m.ingress()) steps.add(APPLY_INGRESS);
        steps.addAll(List.of(VERIFY, MARK_AVAILABLE));
        return steps;
    }
}
