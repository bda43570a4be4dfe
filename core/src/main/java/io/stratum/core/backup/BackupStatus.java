package io.stratum.core.backup;

import java.util.Locale;

/** A backup is {@code creating} until its archive is stored and re-read with matching checksums. */
public enum BackupStatus {
    CREATING, AVAILABLE, FAILED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BackupStatus fromWire(String s) {
        return valueOf(s.toUpperCase(Locale.ROOT));
    }
}
