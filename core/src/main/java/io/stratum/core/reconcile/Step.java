package io.stratum.core.reconcile;

/** One idempotent step of an instance operation. Running a step again after a crash finishes it or finds it done. */
public enum Step {
    CREATE_DIRECTORIES, PREPARE_DATA, APPLY_PENDING, WRITE_CONFIG, APPLY_FIREWALL, APPLY_INGRESS, STOP, START, BOOTSTRAP, APPLY_LIVE, VERIFY,
    MARK_AVAILABLE, MARK_STOPPED, REMOVE_DATA, MARK_DELETED, STAGE_PASSWORD, PROMOTE_PASSWORD, TAKE_BACKUP, RESTORE_BACKUP, CHECK_DRILL, EMPTY_DATABASE,
    BEGIN_BULK_LOAD, END_BULK_LOAD, PREPARE_SOURCE, SEED_REPLICA, DROP_REPLICATION_SLOT, PROMOTE_ENGINE, DETACH_REPLICA;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
