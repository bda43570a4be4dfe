package io.stratum.core.reconcile;

import java.util.Locale;

/** The kinds of instance operation, with their wire names (e.g. {@code create-instance}). */
public enum OperationType {
    CREATE, START, STOP, REBOOT, MODIFY, DELETE, ROTATE_PASSWORD, BACKUP, RESTORE;

    public String wireName() {
        if (this == ROTATE_PASSWORD) return "rotate-password";
        if (this == BACKUP) return "create-backup";
        return name().toLowerCase(Locale.ROOT) + "-instance";
    }

    public static boolean isInstanceOperation(String wire) {
        return java.util.Arrays.stream(values()).anyMatch(t -> t.wireName().equals(wire));
    }

    public static OperationType fromWire(String wire) {
        for (OperationType t : values()) {
            if (t.wireName().equals(wire)) return t;
        }
        throw new IllegalArgumentException("not an instance operation: " + wire);
    }
}
