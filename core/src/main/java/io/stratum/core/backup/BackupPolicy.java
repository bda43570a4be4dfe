package io.stratum.core.backup;

/** An instance's backup store and restore-drill schedule ({@code default} and {@code off} unless set). */
public record BackupPolicy(String instance, String store, DrillSchedule drill) {
    public static BackupPolicy defaults(String instance) {
        return new BackupPolicy(instance, BackupStore.DEFAULT, DrillSchedule.OFF);
    }
}
