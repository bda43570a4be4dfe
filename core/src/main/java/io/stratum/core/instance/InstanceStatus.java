package io.stratum.core.instance;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Instance status as RDS shows it, with the transitions allowed from each. */
public enum InstanceStatus {
    CREATING, AVAILABLE, MODIFYING, BACKING_UP, REBOOTING, STOPPING, STOPPED, STARTING, RESTORING, PROMOTING,
    STORAGE_FULL, FAILED, DELETING, DELETED;

    public Set<InstanceStatus> next() {
        return switch (this) {
            case CREATING -> EnumSet.of(AVAILABLE, FAILED, DELETING);
            case AVAILABLE -> EnumSet.of(MODIFYING, BACKING_UP, REBOOTING, STOPPING, STORAGE_FULL, FAILED, DELETING, PROMOTING, RESTORING);
            case MODIFYING -> EnumSet.of(AVAILABLE, REBOOTING, STORAGE_FULL, STOPPED, FAILED);
            case BACKING_UP -> EnumSet.of(AVAILABLE, FAILED);
            case REBOOTING -> EnumSet.of(AVAILABLE, FAILED, STORAGE_FULL);
            case STOPPING -> EnumSet.of(STOPPED, FAILED);
            case STOPPED -> EnumSet.of(STARTING, DELETING, MODIFYING);
            case STARTING -> EnumSet.of(AVAILABLE, FAILED, STORAGE_FULL);
            case RESTORING -> EnumSet.of(AVAILABLE, FAILED);
            case PROMOTING -> EnumSet.of(AVAILABLE, FAILED);
            case STORAGE_FULL -> EnumSet.of(AVAILABLE, MODIFYING, REBOOTING, STOPPING, DELETING, FAILED);
            // a failed promotion is retried from where it failed
            case FAILED -> EnumSet.of(STARTING, REBOOTING, DELETING, AVAILABLE, PROMOTING);
            // a delete whose final snapshot failed returns the instance to what it was
            case DELETING -> EnumSet.of(DELETED, FAILED, AVAILABLE, STOPPED, STORAGE_FULL);
            case DELETED -> EnumSet.noneOf(InstanceStatus.class);
        };
    }

    public boolean canMoveTo(InstanceStatus target) {
        return next().contains(target);
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
