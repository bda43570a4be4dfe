package io.stratum.core.backup;

import java.util.Locale;

/** When an instance's backups are restore-drilled: never, the newest backup once a week, or every backup once taken. */
public enum DrillSchedule {
    OFF, WEEKLY, AFTER_EACH;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static java.util.Optional<DrillSchedule> fromWire(String s) {
        for (DrillSchedule d : values()) if (d.wireName().equals(s)) return java.util.Optional.of(d);
        return java.util.Optional.empty();
    }
}
