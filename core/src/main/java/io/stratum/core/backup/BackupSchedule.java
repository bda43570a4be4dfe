package io.stratum.core.backup;

import io.stratum.core.error.FieldError;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * When automated backups run and which ones have expired (pure). The window is {@code HH:MM-HH:MM} in UTC and may
 * cross midnight ({@code 23:45-00:15}); one automated backup is taken per window occurrence.
 */
public final class BackupSchedule {
    private static final Pattern WINDOW = Pattern.compile("^([01]\\d|2[0-3]):[0-5]\\d-([01]\\d|2[0-3]):[0-5]\\d$");
    /** RDS's limit for automated backups' retention. */
    public static final int MAX_RETENTION_DAYS = 35;

    private BackupSchedule() {}

    /** The rules of a backup policy, for a create and a modify alike: retention 0-35 days, a window HH:MM-HH:MM in UTC. */
    public static void policyErrors(int retentionDays, String window, List<FieldError> errors) {
        if (retentionDays < 0 || retentionDays > MAX_RETENTION_DAYS) {
            errors.add(new FieldError("backupRetention",
                    "must be 0-" + MAX_RETENTION_DAYS + " days (0 disables automated backups)"));
        }
        if (!WINDOW.matcher(window).matches()) {
            errors.add(new FieldError("backupWindow", "'" + window + "' is not HH:MM-HH:MM (UTC), e.g. 03:00-03:30"));
        }
    }

    /** The occurrence of {@code window} that contains {@code now}: its start, or empty when {@code now} is outside it. */
    public static Optional<Instant> currentWindowStart(String window, Instant now) {
        LocalTime start = LocalTime.parse(window.split("-")[0]);
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        Duration length = length(window);
        for (int daysBack = 0; daysBack <= 1; daysBack++) {
            ZonedDateTime s = t.toLocalDate().minusDays(daysBack).atTime(start).atZone(ZoneOffset.UTC);
            if (!t.isBefore(s) && t.isBefore(s.plus(length))) return Optional.of(s.toInstant());
        }
        return Optional.empty();
    }

    /** The start of the newest occurrence of {@code window} that has ended by {@code now}. */
    static Instant lastEndedWindowStart(String window, Instant now) {
        LocalTime start = LocalTime.parse(window.split("-")[0]);
        ZonedDateTime t = now.atZone(ZoneOffset.UTC);
        for (int daysBack = 0; ; daysBack++) {
            ZonedDateTime s = t.toLocalDate().minusDays(daysBack).atTime(start).atZone(ZoneOffset.UTC);
            if (!s.plus(length(window)).isAfter(t)) return s.toInstant();
        }
    }

    private static Duration length(String window) {
        String[] parts = window.split("-");
        Duration length = Duration.between(LocalTime.parse(parts[0]), LocalTime.parse(parts[1]));
        return length.isNegative() || length.isZero() ? length.plusDays(1) : length;
    }

    /**
     * A window that passed without an automated backup (the control plane was down, say): its start, when the newest
     * ended window began after the last automated backup (or the instance's creation, {@code lastAutomatedStart}).
     */
    public static Optional<Instant> missedWindow(String window, int retentionDays, Instant now, Instant lastAutomatedStart) {
        if (retentionDays == 0) return Optional.empty();
        Instant last = lastEndedWindowStart(window, now);
        return lastAutomatedStart.isBefore(last) ? Optional.of(last) : Optional.empty();
    }

    /** True when {@code now} is in the window and no automated backup started in this occurrence of it. */
    public static boolean due(String window, int retentionDays, Instant now, Instant lastAutomatedStart) {
        if (retentionDays == 0) return false;
        Optional<Instant> start = currentWindowStart(window, now);
        return start.isPresent() && (lastAutomatedStart == null || lastAutomatedStart.isBefore(start.get()));
    }

    /** Automated backups older than the retention period (manual and final snapshots are kept until deleted). */
    public static List<Backup> expired(List<Backup> backups, int retentionDays, Instant now) {
        Instant cutoff = now.minus(Duration.ofDays(retentionDays));
        return backups.stream().filter(b -> "automated".equals(b.kind()) && b.status() != BackupStatus.CREATING)
                .filter(b -> b.createdAt().isBefore(cutoff)).toList();
    }
}
