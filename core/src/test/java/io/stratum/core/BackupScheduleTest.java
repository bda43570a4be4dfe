package io.stratum.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.backup.Backup;
import io.stratum.core.backup.BackupSchedule;
import io.stratum.core.backup.BackupStatus;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupScheduleTest {
    static Instant at(String iso) {
        return Instant.parse(iso);
    }

    static Backup backup(String id, String kind, String created) {
        return new Backup(id, new Backup.Origin("orders", "postgres", "15", false, null, null, "app", "app"), kind, BackupStatus.AVAILABLE,
                "default", null, new Backup.Archive("x", "m", 1, 1, 1), null, at(created), at(created), null);
    }

    @Test
    void oneAutomatedBackupPerWindowOccurrence() {
        assertThat(BackupSchedule.due("03:00-03:30", 7, at("2026-01-02T03:10:00Z"), null)).isTrue();
        assertThat(BackupSchedule.due("03:00-03:30", 7, at("2026-01-02T03:10:00Z"), at("2026-01-02T03:00:05Z"))).isFalse();
        assertThat(BackupSchedule.due("03:00-03:30", 7, at("2026-01-02T03:10:00Z"), at("2026-01-01T03:00:05Z"))).isTrue();
        assertThat(BackupSchedule.due("03:00-03:30", 7, at("2026-01-02T03:30:00Z"), null)).as("window end is exclusive").isFalse();
        assertThat(BackupSchedule.due("03:00-03:30", 0, at("2026-01-02T03:10:00Z"), null)).as("retention 0 disables").isFalse();
    }

    @Test
    void windowsMayCrossMidnight() {
        assertThat(BackupSchedule.currentWindowStart("23:45-00:15", at("2026-01-02T00:05:00Z"))).contains(at("2026-01-01T23:45:00Z"));
        assertThat(BackupSchedule.currentWindowStart("23:45-00:15", at("2026-01-02T23:50:00Z"))).contains(at("2026-01-02T23:45:00Z"));
        assertThat(BackupSchedule.currentWindowStart("23:45-00:15", at("2026-01-02T12:00:00Z"))).isEmpty();
    }

    @Test
    void aWindowThatPassedWithoutABackupIsMissedOnce() {
        // backed up yesterday; today's window ended an hour ago with nothing: missed
        assertThat(BackupSchedule.missedWindow("03:00-03:30", 7, at("2026-01-02T04:30:00Z"), at("2026-01-01T03:00:05Z")))
                .contains(at("2026-01-02T03:00:00Z"));
        // the miss is recorded as an automated attempt in that window: not missed again
        assertThat(BackupSchedule.missedWindow("03:00-03:30", 7, at("2026-01-02T04:30:00Z"), at("2026-01-02T03:00:00Z"))).isEmpty();
        // still inside today's window: yesterday's ran, nothing missed yet
        assertThat(BackupSchedule.missedWindow("03:00-03:30", 7, at("2026-01-02T03:10:00Z"), at("2026-01-01T03:00:05Z"))).isEmpty();
        // created after the last window ended: nothing was due
        assertThat(BackupSchedule.missedWindow("03:00-03:30", 7, at("2026-01-02T04:30:00Z"), at("2026-01-02T04:00:00Z"))).isEmpty();
        assertThat(BackupSchedule.missedWindow("23:45-00:15", 7, at("2026-01-02T00:20:00Z"), at("2025-12-31T23:50:00Z")))
                .contains(at("2026-01-01T23:45:00Z"));
        assertThat(BackupSchedule.missedWindow("03:00-03:30", 0, at("2026-01-02T04:30:00Z"), at("2025-01-01T03:00:00Z")))
                .as("retention 0 disables automated backups").isEmpty();
    }

    @Test
    void onlyAutomatedBackupsExpire() {
        List<Backup> all = List.of(backup("old-auto", "automated", "2026-01-01T03:00:00Z"),
                backup("new-auto", "automated", "2026-01-07T03:00:00Z"), backup("old-manual", "manual", "2025-01-01T03:00:00Z"),
                backup("old-final", "final", "2025-01-01T03:00:00Z"));
        assertThat(BackupSchedule.expired(all, 3, at("2026-01-08T00:00:00Z"))).extracting(Backup::id).containsExactly("old-auto");
    }
}
