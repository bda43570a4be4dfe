package io.stratum.core;

import static io.stratum.core.reconcile.Step.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.model.OperationInput;
import io.stratum.core.reconcile.InstancePlanner;
import io.stratum.core.reconcile.Step;
import io.stratum.core.reconcile.PendingModifications;
import io.stratum.core.reconcile.SettingValues;
import io.stratum.core.reconcile.StoragePlanner;
import io.stratum.core.reconcile.StoragePlanner.Action;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstancePlanningTest {
    static final long GIB = 1L << 30;

    static List<Step> steps(OperationInput input) {
        return InstancePlanner.plan(input).steps();
    }

    @Test
    void createEndsWithAVerifiedConnectionBeforeAvailable() {
        var steps = steps(OperationInput.Create.empty());
        assertThat(steps).containsExactly(CREATE_DIRECTORIES, PREPARE_DATA, WRITE_CONFIG, APPLY_FIREWALL, START, BOOTSTRAP, VERIFY,
                MARK_AVAILABLE);
        assertThat(steps.indexOf(VERIFY)).isLessThan(steps.indexOf(MARK_AVAILABLE));
        assertThat(steps.indexOf(APPLY_FIREWALL)).as("the port is filtered before the engine listens").isLessThan(steps.indexOf(START));
    }

    @Test
    void aRestoresDumpUnpacksOnceTheDirectoriesExistAndNotWhenItsLoadIsBehind() {
        var create = InstancePlanner.plan(new OperationInput.Create("bk-1", false));
        assertThat(create.stagingFrom(0)).as("right after CREATE_DIRECTORIES").isEqualTo(1);
        int start = create.steps().indexOf(START);
        assertThat(create.stagingFrom(start)).as("a create resumed at START stages from there").isEqualTo(start);
        int load = create.steps().indexOf(RESTORE_BACKUP);
        assertThat(create.stagingFrom(load)).as("resumed at the load itself: it stages then, and waits for it").isEqualTo(load);
        assertThat(create.stagingFrom(load + 1)).as("the load is behind").isEqualTo(-1);
        var into = InstancePlanner.plan(new OperationInput.Restore("bk-pre", "bk-1"));
        assertThat(into.stagingFrom(0)).as("an existing instance: once the snapshot is taken, as its database is emptied")
                .isEqualTo(into.steps().indexOf(EMPTY_DATABASE));
        var drill = InstancePlanner.plan(new OperationInput.Create("bk-1", true));
        assertThat(drill.stagingFrom(0)).isEqualTo(1);
        assertThat(InstancePlanner.plan(OperationInput.Create.empty()).stagingFrom(0)).as("nothing to restore").isEqualTo(-1);
    }

    @Test
    void restoresSnapshotFirstAndDrillsCleanUpAfterTheirCheck() {
        var into = steps(new OperationInput.Restore("bk-pre", "bk-1"));
        assertThat(into).containsExactly(TAKE_BACKUP, EMPTY_DATABASE, RESTORE_BACKUP, BOOTSTRAP, VERIFY, MARK_AVAILABLE);
        assertThat(into.indexOf(TAKE_BACKUP)).as("the pre-restore snapshot comes before any data is touched")
                .isLessThan(into.indexOf(EMPTY_DATABASE));
        var drill = steps(new OperationInput.Create("bk-1", true));
        assertThat(drill).containsSubsequence(RESTORE_BACKUP, VERIFY, CHECK_DRILL, STOP, APPLY_FIREWALL, REMOVE_DATA, MARK_DELETED)
                .doesNotContain(MARK_AVAILABLE);
        assertThat(steps(new OperationInput.Create("bk-1", false))).contains(RESTORE_BACKUP)
                .doesNotContain(CHECK_DRILL).endsWith(MARK_AVAILABLE);
    }

    /**
     * A restore into a new instance recorded by an older version at the bootstrap after its load (the plan had no
     * bulk-load steps then) is placed at that bootstrap, not the first one, so it does not load again.
     */
    @Test
    void aPositionFromAnOlderPlanIsPlacedAtTheSameOccurrenceOfItsStep() {
        var plan = InstancePlanner.plan(new OperationInput.Create("bk-1", false));
        int firstBootstrap = plan.steps().indexOf(BOOTSTRAP);
        int secondBootstrap = plan.steps().lastIndexOf(BOOTSTRAP);
        // the old plan: CREATE_DIRECTORIES, PREPARE_DATA, WRITE_CONFIG, APPLY_FIREWALL, START, BOOTSTRAP (5), EMPTY_DATABASE,
        // RESTORE_BACKUP, BOOTSTRAP (8), VERIFY, MARK_AVAILABLE
        assertThat(io.stratum.core.reconcile.LegacyPositions.moved(plan, "bootstrap", 8)).isEqualTo(secondBootstrap);
        assertThat(io.stratum.core.reconcile.LegacyPositions.moved(plan, "bootstrap", 5)).isEqualTo(firstBootstrap);
        assertThat(io.stratum.core.reconcile.LegacyPositions.moved(plan, "mark-available", 10)).isEqualTo(plan.size() - 1);
        assertThat(io.stratum.core.reconcile.LegacyPositions.moved(plan, "verify", 99)).as("past the end: its last occurrence")
                .isEqualTo(plan.steps().indexOf(VERIFY));
        assertThat(io.stratum.core.reconcile.LegacyPositions.moved(plan, "check-drill", 3)).isEqualTo(-1);
    }

    /**
     * A new instance that a restore fills starts in the engine's bulk-load mode and leaves it (a restart) before anyone
     * can use it; an empty create, a restore into a live instance and every other operation never enter it.
     */
    @Test
    void onlyANewInstanceFilledByARestoreLoadsInBulkAndLeavesItBeforeItIsAvailable() {
        var create = steps(new OperationInput.Create("bk-1", false));
        assertThat(create).containsSubsequence(WRITE_CONFIG, BEGIN_BULK_LOAD, START, EMPTY_DATABASE, RESTORE_BACKUP, END_BULK_LOAD,
                START, BOOTSTRAP, VERIFY, MARK_AVAILABLE);
        assertThat(create.indexOf(BEGIN_BULK_LOAD)).as("before the engine first starts: no restart to enter it")
                .isLessThan(create.indexOf(START));
        var drill = steps(new OperationInput.Create("bk-1", true));
        assertThat(drill).contains(BEGIN_BULK_LOAD).as("a scratch instance is removed, never used").doesNotContain(END_BULK_LOAD);
        assertThat(steps(OperationInput.Create.empty())).doesNotContain(BEGIN_BULK_LOAD, END_BULK_LOAD);
        assertThat(steps(new OperationInput.Restore("bk-pre", "bk-1"))).doesNotContain(BEGIN_BULK_LOAD, END_BULK_LOAD);
        var plan = InstancePlanner.plan(new OperationInput.Create("bk-1", false));
        int load = plan.steps().indexOf(RESTORE_BACKUP);
        assertThat(plan.resumeFrom(load)).as("a load cut short starts again on an emptied database, still in bulk-load mode")
                .isEqualTo(load - 1);
        assertThat(plan.resumeFrom(load + 1)).as("a crash while leaving it: leaving again, then a start (the engine may have "
                + "been stopped for the restart)").isEqualTo(load + 1);
        assertThat(plan.at(load + 2)).isEqualTo(START);
    }

    @Test
    void modifyRestartsOnlyWhenAStaticSettingChanged() {
        assertThat(steps(new OperationInput.Modify(false, true, Set.of(), false))).contains(STOP, START);
        assertThat(steps(new OperationInput.Modify(false, false, Set.of("work_mem"), false)))
                .contains(APPLY_LIVE).doesNotContain(STOP, START);
        assertThat(steps(new OperationInput.Modify(true, false, Set.of(), false)))
                .containsExactly(WRITE_CONFIG, MARK_STOPPED);
        assertThat(steps(new OperationInput.Reboot())).startsWith(APPLY_PENDING);
        assertThat(steps(new OperationInput.Delete(null))).containsExactly(STOP, APPLY_FIREWALL, REMOVE_DATA, MARK_DELETED);
    }

    @Test
    void aReplicaIsAdmittedBeforeItCopiesItsSourceAndNeverBootstraps() {
        var create = new OperationInput.CreateReplica("orders");
        assertThat(steps(create)).containsExactly(CREATE_DIRECTORIES, APPLY_FIREWALL, PREPARE_SOURCE, SEED_REPLICA, WRITE_CONFIG, START,
                VERIFY, MARK_AVAILABLE);
        assertThat(InstancePlanner.plan(create).recoveryAt(3, true)).as("an interrupted replica create is undone like any create")
                .isEqualTo(io.stratum.core.reconcile.InstancePlan.Recovery.UNDO_CREATE);
        assertThat(steps(new OperationInput.Promote("orders"))).containsSubsequence(PROMOTE_ENGINE, DETACH_REPLICA, WRITE_CONFIG,
                DROP_REPLICATION_SLOT, BOOTSTRAP, VERIFY, MARK_AVAILABLE);
        assertThat(steps(new OperationInput.Delete(null, "orders"))).containsExactly(STOP, APPLY_FIREWALL, DROP_REPLICATION_SLOT,
                REMOVE_DATA, MARK_DELETED);
        for (OperationInput input : java.util.List.of(create, new OperationInput.Promote("orders"), new OperationInput.Delete(null, "orders"),
                new OperationInput.Delete("bk-1"))) {
            assertThat(OperationInput.decode(input.type(), input.encode())).as("stored and read back").isEqualTo(input);
        }
        assertThat(new OperationInput.Delete(null).encode()).as("a primary's delete is stored as before").isEmpty();
    }

    @Test
    void securityGroupChangesUpdateBothLayersWithoutARestart() {
        assertThat(steps(new OperationInput.Modify(false, false, Set.of(), true)))
                .containsExactly(WRITE_CONFIG, APPLY_FIREWALL, APPLY_LIVE, APPLY_INGRESS, VERIFY, MARK_AVAILABLE);
        assertThat(steps(new OperationInput.Modify(true, false, Set.of(), true)))
                .containsExactly(WRITE_CONFIG, APPLY_FIREWALL, MARK_STOPPED);
        assertThat(steps(new OperationInput.Modify(false, true, Set.of(), true)))
                .containsSubsequence(APPLY_FIREWALL, STOP, START, APPLY_INGRESS, VERIFY);
        assertThat(steps(new OperationInput.Start())).containsSubsequence(APPLY_FIREWALL, START, APPLY_INGRESS);
    }

    @Test
    void storageGrowsWithinTheMaximumAndFillsOnlyWithoutRoom() {
        assertThat(StoragePlanner.plan(5, 5, 2 * GIB, false).action()).isEqualTo(Action.NONE);
        var grow = StoragePlanner.plan(5, 20, (long) (4.6 * GIB), false);
        assertThat(grow.action()).isEqualTo(Action.GROW);
        assertThat(grow.newAllocatedGiB()).isEqualTo(6);
        assertThat(StoragePlanner.plan(10, 12, 30 * GIB, false).newAllocatedGiB()).isEqualTo(12);
        assertThat(StoragePlanner.plan(1, 1, GIB + 1, false).action()).isEqualTo(Action.MARK_FULL);
        assertThat(StoragePlanner.plan(1, 1, GIB + 1, true).action()).isEqualTo(Action.NONE);
        assertThat(StoragePlanner.plan(3, 3, GIB + 1, true).action()).isEqualTo(Action.RECOVER);
        // autoscaling never allocates more than the disk has free: a smaller step, or full when there is none
        assertThat(StoragePlanner.plan(10, 100, 30 * GIB, false, 3 * GIB).newAllocatedGiB()).isEqualTo(13);
        assertThat(StoragePlanner.plan(10, 100, 10 * GIB, false, GIB / 2).action()).isEqualTo(Action.MARK_FULL);
        assertThat(StoragePlanner.plan(10, 100, 9 * GIB + 1, false, GIB / 2).action()).isEqualTo(Action.NONE);
    }

    @Test
    void statusTransitionsAreExplicit() {
        assertThat(InstanceStatus.CREATING.canMoveTo(InstanceStatus.AVAILABLE)).isTrue();
        assertThat(InstanceStatus.STOPPED.canMoveTo(InstanceStatus.REBOOTING)).isFalse();
        assertThat(InstanceStatus.DELETED.next()).isEmpty();
        assertThat(InstanceStatus.STORAGE_FULL.wireName()).isEqualTo("storage-full");
        for (InstanceStatus s : InstanceStatus.values()) {
            assertThat(s.canMoveTo(InstanceStatus.CREATING)).as(s + " never goes back to creating").isFalse();
        }
    }

    private static InstanceSpec spec(Map<String, String> params) {
        return InstanceSpec.builder("o", "postgres").version("15").instanceClass(InstanceClass.SMALL).storage(5, 5).port(15000)
                .database("app").masterUser("app").backupPolicy(7, "03:00-03:30").params(params).tls("prefer").build();
    }

    @Test
    void storageFullIsSetByTheFullStatusKeptThroughOperationsAndClearedOnlyWhenAvailable() {
        InstanceSpec spec = spec(Map.of());
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Instance i = new Instance(spec, InstanceStatus.AVAILABLE, Map.of(), null, 0, false, t, t);
        Instance full = i.withStatus(InstanceStatus.STORAGE_FULL, "disk says no", t);
        assertThat(full.storageFull()).isTrue();
        // an operation's status and a cleared message do not forget that the engine is read-only
        for (InstanceStatus during : List.of(InstanceStatus.MODIFYING, InstanceStatus.BACKING_UP, InstanceStatus.STOPPED,
                InstanceStatus.REBOOTING, InstanceStatus.FAILED)) {
            assertThat(full.withStatus(during, null, t).storageFull()).as(during.wireName()).isTrue();
        }
        assertThat(full.withStatus(InstanceStatus.MODIFYING, null, t).withStatus(InstanceStatus.AVAILABLE, null, t).storageFull()).isFalse();
        assertThat(i.withStatus(InstanceStatus.MODIFYING, "storage full: a message is not a state", t).storageFull()).isFalse();
    }

    @Test
    void pendingModificationsFoldIntoTheSpec() {
        InstanceSpec spec = spec(Map.of("work_mem", "8MB"));
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Instance i = new Instance(spec, InstanceStatus.REBOOTING, Map.of("class", "large", "param.max_connections", "300"), null, 0, false,
                t, t);
        Instance applied = PendingModifications.apply(i, t);
        assertThat(applied.spec().instanceClass()).isEqualTo(InstanceClass.LARGE);
        assertThat(applied.spec().params()).containsEntry("max_connections", "300").containsEntry("work_mem", "8MB");
        assertThat(applied.pending()).isEmpty();
    }

    @Test
    void settingValuesCompareLikeTheEnginesPrintThem() {
        assertThat(SettingValues.same("on", "true")).isTrue();
        assertThat(SettingValues.same("yes", "on")).isTrue();
        assertThat(SettingValues.same("128MB", "128mb")).isTrue();
        assertThat(SettingValues.same("128MB", "256MB")).isFalse();
    }
}
