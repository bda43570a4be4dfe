package io.stratum.core.service;

import io.stratum.core.model.OperationInput;
import io.stratum.core.backup.Backup;
import io.stratum.core.backup.BackupPolicy;
import io.stratum.core.backup.BackupSchedule;
import io.stratum.core.backup.BackupStatus;
import io.stratum.core.backup.Drill;
import io.stratum.core.backup.DrillSchedule;
import io.stratum.core.external.ExternalInstance;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.reconcile.SystemActor;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The backup schedule, run periodically: per managed or external instance, an automated backup once per backup window
 * (the first in the first window after creation), a window that passed without one recorded as a failed, missed
 * backup (an event, and shown by {@code db show}), automated backups past the retention pruned (manual, final and
 * pre-restore snapshots never), and restore drills as the instance's policy asks.
 */
public final class BackupScheduler {
    private static final Duration WEEK = Duration.ofDays(7);
    private final Recorder recorder;
    private final BackupService backups;
    private final BackupStoreService stores;

    public BackupScheduler(Recorder recorder, BackupService backups, BackupStoreService stores) {
        this.recorder = recorder;
        this.backups = backups;
        this.stores = stores;
    }

    public void run() {
        Instant now = recorder.clock().instant();
        for (Instance i : recorder.store().read(tx -> tx.instances().list())) {
            if (!backups.supports(i.spec().engine()) || i.spec().isReplica()) continue; // a replica's data is its source's
            boolean ready = i.status() == InstanceStatus.AVAILABLE;
            schedule(i.spec(), false, i.createdAt(), now, ready, () -> backups.snapshotThen(SystemActor.PRINCIPAL, i, "automated", null,
                    OperationInput.TakeBackup::new, InstanceStatus.BACKING_UP, "backup"));
            if (ready) drill(i.name(), now);
        }
        for (ExternalInstance e : recorder.store().read(tx -> tx.externals().list())) {
            if (!backups.supportsExternal(e.engine())) continue;
            schedule(ExternalService.spec(e), true, e.createdAt(), now, true, () -> backups.createExternal(SystemActor.PRINCIPAL, e, "automated", null));
            drill(e.name(), now);
        }
    }

    private void schedule(InstanceSpec s, boolean external, Instant createdAt, Instant now, boolean ready, Runnable takeBackup) {
        List<Backup> own = recorder.store().read(tx -> tx.backups().list(s.name()));
        Instant lastAutomated = own.stream().filter(b -> "automated".equals(b.kind())).map(Backup::createdAt)
                .max(Comparator.naturalOrder()).orElse(createdAt);
        if (ready && BackupSchedule.due(s.backupWindow(), s.backupRetentionDays(), now, lastAutomated)) {
            try {
                takeBackup.run();
            } catch (RuntimeException e) {
                missed(s, external, now, "automated backup could not start: " + e.getMessage());
            }
        } else {
            BackupSchedule.missedWindow(s.backupWindow(), s.backupRetentionDays(), now, lastAutomated)
                    .ifPresent(start -> missed(s, external, start, "the backup window " + s.backupWindow() + " starting " + start
                            + " passed without an automated backup (the instance was not available or the control plane was not running)"));
        }
        for (Backup b : BackupSchedule.expired(own, s.backupRetentionDays(), now)) {
            backups.remove(SystemActor.PRINCIPAL, b, "backup.pruned", "automated backup of " + b.instance() + " from " + b.createdAt()
                    + " is past the " + s.backupRetentionDays() + "-day retention");
        }
    }

    /** A failed automated backup in the missed window: listed, shown by db show, an event, and pruned like the others. */
    private void missed(InstanceSpec s, boolean external, Instant at, String why) {
        backups.sealing(() -> {
            Backup draft = backups.draft(s, external, "automated", stores.policy(s.name()).store()).missed("missed: " + why, at, recorder.clock().instant());
            return recorder.record(SystemActor.PRINCIPAL, tx -> {
                tx.backups().insert(draft);
                return new Recorder.Change<>(null, "backup/" + draft.id(), s.stack(), "backup.missed", s.name() + ": " + why);
            });
        });
    }

    /** Starts a drill of the newest available backup when the policy asks and none is running. */
    private void drill(String instance, Instant now) {
        BackupPolicy policy = stores.policy(instance);
        if (policy.drill() == DrillSchedule.OFF) return;
        List<Backup> own = recorder.store().read(tx -> tx.backups().list(instance));
        if (own.stream().anyMatch(b -> b.drill() != null && b.drill().status() == Drill.Status.RUNNING)) return;
        Optional<Backup> newest = own.stream().filter(b -> b.status() == BackupStatus.AVAILABLE && b.manifestSha256() != null).findFirst();
        if (newest.isEmpty()) return;
        boolean due = policy.drill() == DrillSchedule.AFTER_EACH ? newest.get().drill() == null
                : own.stream().filter(b -> b.drill() != null).map(b -> b.drill().at()).max(Comparator.naturalOrder())
                        .map(last -> !last.plus(WEEK).isAfter(now)).orElse(true);
        if (!due) return;
        try {
            backups.verify(SystemActor.PRINCIPAL, newest.get().id());
        } catch (RuntimeException e) {
            // recorded on the backup (an event, shown by db show), so it is not retried until the next one is due
            backups.drillFailed(newest.get().id(), "the scheduled drill could not start: " + e.getMessage());
        }
    }
}
