package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.backup.Backup;
import io.stratum.core.backup.BackupStatus;
import io.stratum.core.backup.Drill;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.instance.ModifyInstanceRequest;
import io.stratum.core.model.Operation;
import io.stratum.core.model.OperationState;
import io.stratum.core.model.OperationType;
import io.stratum.core.reconcile.Credentials;
import io.stratum.core.reconcile.InstancePlan;
import io.stratum.core.reconcile.InstancePlanner;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.testkit.fakes.Faults;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every step of every instance plan, on the fake engine: an operation whose control plane crashes just after it
 * records a step resumes there and ends as if nothing happened; an operation whose step fails ends as its plan's
 * recovery says (failed, backup-only failure, drill failed and cleaned up, rotation undone, interrupted create undone).
 */
class WorkflowRecoveryTest {
    static final io.stratum.core.auth.Principal ADMIN = SystemActor.PRINCIPAL;
    static FakeControlPlane cp;
    static final AtomicInteger names = new AtomicInteger();

    /** One kind of operation: how to get an instance ready for it, how to start it, and what a finished one left. */
    record Scenario(String name, OperationType type, Prepare prepare, Act act, Done done) {}

    interface Prepare {
        String run(String instance);
    }

    interface Act {
        Operation run(String instance, String prepared);
    }

    interface Done {
        void check(String instance, String prepared, Operation op);
    }

    @BeforeAll
    static void start() throws Exception {
        Path shm = Path.of("/dev/shm");
        cp = FakeControlPlane.start(Files.createTempDirectory(Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")),
                "stratum-fast-"));
    }

    @AfterAll
    static void stop() throws Exception {
        cp.close();
        try (var files = Files.walk(cp.root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    static String fresh() {
        return "i" + names.incrementAndGet();
    }

    static String created(String name) {
        assertSucceeded(cp.create(name));
        return null;
    }

    static void assertSucceeded(Operation op) {
        Operation now = cp.operation(op.id());
        assertThat(now.state()).as(now.type().wireName() + " " + now.resource() + ": " + now.error()).isEqualTo(OperationState.SUCCEEDED);
    }

    static InstanceStatus status(String name) {
        return cp.instance(name).orElseThrow(() -> new AssertionError(name + " is gone")).status();
    }

    static String backupOf(String name, long rows) {
        created(name);
        cp.engine.write(name, "orders", rows);
        Operation op = cp.backups.create(ADMIN, name, null);
        assertSucceeded(op);
        return op.input().backup().orElseThrow();
    }

    static Backup backup(String id) {
        return cp.store.read(tx -> tx.backups().find(id)).orElseThrow();
    }

    static String masterPassword(String name) {
        return cp.secrets.currentValue(Credentials.masterSecret(cp.instance(name).orElseThrow().spec()));
    }

    static ModifyInstanceRequest params(Map<String, String> params) {
        return new ModifyInstanceRequest(null, null, null, params, null, null, null, null, null, null);
    }

    static final List<Scenario> SCENARIOS = List.of(
            new Scenario("create", OperationType.CREATE, n -> null, (n, p) -> cp.create(n), (n, p, op) -> {
                assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
                assertThat(cp.engine.running(n)).isTrue();
                assertThat(cp.placement.hasDirectories(n)).isTrue();
            }),
            new Scenario("create from a backup", OperationType.CREATE, n -> backupOf(n + "src", 5),
                    (n, b) -> cp.backups.restore(ADMIN, b, n, null, null, null), (n, b, op) -> {
                        assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
                        assertThat(cp.engine.tables(n)).isEqualTo(Map.of("orders", 5L));
                    }),
            new Scenario("restore drill", OperationType.CREATE, n -> backupOf(n + "src", 7), (n, b) -> cp.backups.verify(ADMIN, b), (n, b, op) -> {
                assertThat(backup(b).drill().status()).isEqualTo(Drill.Status.PASSED);
                assertThat(cp.events("backup.drill-passed").stream().filter(e -> e.startsWith("backup/" + b + " ")))
                        .as("the drill's result is recorded once").hasSize(1);
                assertThat(cp.engine.faults().count("restored", op.resource())).as("the drill loads once").isEqualTo(1);
                assertThat(cp.instance(op.resource())).as("scratch instance removed").isEmpty();
                assertThat(cp.placement.hasDirectories(op.resource())).isFalse();
            }),
            new Scenario("start", OperationType.START, n -> {
                created(n);
                assertSucceeded(cp.instances.stop(ADMIN, n));
                return null;
            }, (n, p) -> cp.instances.start(ADMIN, n), (n, p, op) -> {
                assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
                assertThat(cp.engine.running(n)).isTrue();
            }),
            new Scenario("stop", OperationType.STOP, WorkflowRecoveryTest::created, (n, p) -> cp.instances.stop(ADMIN, n), (n, p, op) -> {
                assertThat(status(n)).isEqualTo(InstanceStatus.STOPPED);
                assertThat(cp.engine.running(n)).isFalse();
            }),
            new Scenario("reboot", OperationType.REBOOT, WorkflowRecoveryTest::created, (n, p) -> cp.instances.reboot(ADMIN, n), (n, p, op) -> {
                assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
                assertThat(cp.engine.running(n)).isTrue();
            }),
            new Scenario("modify live", OperationType.MODIFY, WorkflowRecoveryTest::created, (n, p) -> cp.instances.modify(ADMIN, n,
                    params(Map.of("max_things", "50"))), (n, p, op) -> {
                assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
                assertThat(cp.instance(n).orElseThrow().spec().params()).containsEntry("max_things", "50");
            }),
            new Scenario("modify with a restart", OperationType.MODIFY, WorkflowRecoveryTest::created, (n, p) -> cp.instances.modify(ADMIN, n,
                    new ModifyInstanceRequest("medium", null, null, null, null, null, null, null, null, true)), (n, p, op) -> {
                assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
                assertThat(cp.instance(n).orElseThrow().spec().instanceClass().wireName()).isEqualTo("medium");
                assertThat(cp.engine.running(n)).isTrue();
            }),
            new Scenario("modify while stopped", OperationType.MODIFY, n -> {
                created(n);
                assertSucceeded(cp.instances.stop(ADMIN, n));
                return null;
            }, (n, p) -> cp.instances.modify(ADMIN, n, params(Map.of("buffer_things", "9"))), (n, p, op) -> {
                assertThat(status(n)).isEqualTo(InstanceStatus.STOPPED);
                assertThat(cp.engine.running(n)).isFalse();
            }),
            new Scenario("delete", OperationType.DELETE, WorkflowRecoveryTest::created, (n, p) -> cp.instances.delete(ADMIN, n, n, true), (n, p, op) -> {
                assertThat(cp.instance(n)).isEmpty();
                assertThat(cp.placement.hasDirectories(n)).isFalse();
                assertThat(cp.engine.running(n)).isFalse();
            }),
            new Scenario("delete after a final snapshot", OperationType.DELETE, n -> {
                created(n);
                cp.engine.write(n, "orders", 3);
                return null;
            }, (n, p) -> cp.instances.delete(ADMIN, n, n, false), (n, p, op) -> {
                assertThat(cp.instance(n)).isEmpty();
                assertThat(backup(op.input().backup().orElseThrow()).status()).isEqualTo(BackupStatus.AVAILABLE);
            }),
            new Scenario("backup", OperationType.BACKUP, WorkflowRecoveryTest::created, (n, p) -> cp.backups.create(ADMIN, n, null), (n, p, op) -> {
                assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
                assertThat(backup(op.input().backup().orElseThrow()).status()).isEqualTo(BackupStatus.AVAILABLE);
            }),
            new Scenario("restore into an instance", OperationType.RESTORE, n -> {
                String b = backupOf(n, 5);
                cp.engine.write(n, "orders", 9);
                return b;
            }, (n, b) -> cp.backups.restoreInto(ADMIN, b, n, n), (n, b, op) -> {
                assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
                assertThat(cp.engine.tables(n)).isEqualTo(Map.of("orders", 5L));
                assertThat(backup(op.input().backup().orElseThrow()).status()).as("pre-restore snapshot").isEqualTo(BackupStatus.AVAILABLE);
            }),
            new Scenario("rotate password", OperationType.ROTATE_PASSWORD, WorkflowRecoveryTest::masterPasswordAfterCreate,
                    (n, before) -> cp.instances.rotatePassword(ADMIN, n), (n, before, op) -> {
                        assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
                        assertThat(masterPassword(n)).isNotEqualTo(before);
                    }));

    static String masterPasswordAfterCreate(String n) {
        created(n);
        return masterPassword(n);
    }

    /** Runs the scenario once without interruption: it must succeed; its plan's length is what the matrix covers. */
    static int planLength(Scenario s) {
        String n = fresh();
        String prepared = s.prepare().run(n);
        Operation op = s.act().run(n, prepared);
        assertSucceeded(op);
        s.done().check(n, prepared, cp.operation(op.id()));
        return InstancePlanner.plan(op.input()).size();
    }

    interface Case {
        void run(Scenario s, int position, String instance, String prepared);
    }

    /** One test per step of each scenario's plan: a fresh instance prepared for it, then {@code body}. */
    static Stream<DynamicTest> everyStep(List<Scenario> scenarios, String what, Case body) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Scenario s : scenarios) {
            int steps = planLength(s);
            for (int k = 0; k < steps; k++) {
                int position = k;
                tests.add(DynamicTest.dynamicTest(s.name() + ", " + what + " at step " + k, () -> {
                    String n = fresh();
                    body.run(s, position, n, s.prepare().run(n));
                }));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> aCrashAfterAnyStepResumesThereAndFinishes() {
        return everyStep(SCENARIOS, "crash", (s, position, n, prepared) -> {
            cp.interruptions.at(s.type(), position, new Faults.Crash("step " + position));
            Operation op = crashed(() -> s.act().run(n, prepared));
            Operation stuck = cp.operation(op.id());
            assertThat(stuck.state()).isEqualTo(OperationState.RUNNING);
            assertThat(stuck.position()).isEqualTo(position);
            cp.runner.resumeUnfinished();
            assertSucceeded(stuck);
            s.done().check(n, prepared, cp.operation(op.id()));
            if (cp.instance(n).isPresent()) assertThat(cp.engine.bulkLoading(n)).as("left in bulk-load mode").isFalse();
        });
    }

    @TestFactory
    Stream<DynamicTest> aFailureAtAnyStepEndsAsThePlanSays() {
        return everyStep(SCENARIOS, "failure", (s, position, n, prepared) -> {
            String passwordBefore = cp.instance(n).isPresent() ? masterPassword(n) : null;
            cp.interruptions.at(s.type(), position, new IllegalStateException("injected failure at step " + position));
            Operation op = cp.operation(s.act().run(n, prepared).id());
            assertThat(cp.interruptions.pending()).as("the failure was injected").isFalse();
            assertThat(op.state()).isEqualTo(OperationState.FAILED);
            assertThat(op.error()).contains("injected failure at step " + position);
            checkRecovered(InstancePlanner.plan(op.input()), position, false, op, passwordBefore);
        });
    }

    @TestFactory
    Stream<DynamicTest> aCreateThatCannotFinishAfterACrashIsUndone() {
        return everyStep(SCENARIOS.subList(0, 2), "crash then failure", (s, position, n, prepared) -> {
            cp.interruptions.at(s.type(), position, new Faults.Crash("step " + position));
            Operation op = crashed(() -> s.act().run(n, prepared));
            cp.interruptions.at(s.type(), position, new IllegalStateException("injected failure on resume"));
            cp.runner.resumeUnfinished();
            Operation ended = cp.operation(op.id());
            assertThat(ended.state()).isEqualTo(OperationState.FAILED);
            assertThat(ended.error()).startsWith("rolled back");
            checkRecovered(InstancePlanner.plan(ended.input()), position, true, ended, null);
        });
    }

    /** The drill of the old untyped runner: a crash at its second firewall step resumed at the first and restored again. */
    @Test
    void aDrillKilledAtItsSecondFirewallStepCompletesOnceAfterARestart() {
        String b = backupOf(fresh(), 11);
        cp.firewallTable.faults().failOn("apply", 2, new Faults.Crash("the second firewall step"));
        Operation op = crashed(() -> cp.backups.verify(ADMIN, b));
        Operation stuck = cp.operation(op.id());
        InstancePlan plan = InstancePlanner.plan(stuck.input());
        assertThat(plan.at(stuck.position())).isEqualTo(io.stratum.core.reconcile.Step.APPLY_FIREWALL);
        assertThat(plan.steps().indexOf(io.stratum.core.reconcile.Step.APPLY_FIREWALL)).as("the step appears earlier too")
                .isLessThan(stuck.position());
        cp = cp.restart();
        assertSucceeded(stuck);
        assertThat(cp.engine.faults().count("restored", stuck.resource())).as("loaded once").isEqualTo(1);
        assertThat(cp.events("backup.drill-passed").stream().filter(e -> e.startsWith("backup/" + b + " "))).hasSize(1);
        assertThat(backup(b).drill().status()).isEqualTo(Drill.Status.PASSED);
        assertThat(cp.instance(stuck.resource())).isEmpty();
    }

    /**
     * The control plane killed inside the step that leaves bulk-load mode, after the engine stopped and before it
     * started again: the resumed create starts it with its own settings and the data, and makes it available.
     */
    @Test
    void aCrashBetweenTheStopAndTheStartThatLeaveBulkLoadModeEndsRunningWithItsOwnSettings() {
        String n = fresh();
        String b = backupOf(n + "src", 5);
        cp.engine.faults().failOn("start", 2, new Faults.Crash("between the stop and the start"));
        Operation created = crashed(() -> cp.backups.restore(ADMIN, b, n, null, null, null));
        assertThat(cp.engine.running(n)).as("stopped by the restart that was cut short").isFalse();
        cp = cp.restart();
        assertSucceeded(created);
        assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
        assertThat(cp.engine.running(n)).isTrue();
        assertThat(cp.engine.bulkLoading(n)).isFalse();
        assertThat(cp.engine.tables(n)).isEqualTo(Map.of("orders", 5L));
    }

    /** A load cut short after the data went in (pg_restore would then meet existing objects) resumes on an emptied database. */
    @Test
    void aRestoreCutShortAfterLoadingResumesOnAnEmptiedDatabase() {
        String n = fresh();
        String b = backupOf(n, 5);
        cp.engine.write(n, "orders", 9);
        cp.engine.faults().failOn("restored", 1, new Faults.Crash("after the load"));
        Operation into = crashed(() -> cp.backups.restoreInto(ADMIN, b, n, n));
        cp = cp.restart();
        assertSucceeded(into);
        assertThat(cp.engine.tables(n)).isEqualTo(Map.of("orders", 5L));
        String copy = fresh();
        cp.engine.faults().failOn("restored", 1, new Faults.Crash("after the load"));
        Operation created = crashed(() -> cp.backups.restore(ADMIN, b, copy, null, null, null));
        cp = cp.restart();
        assertSucceeded(created);
        assertThat(cp.engine.tables(copy)).isEqualTo(Map.of("orders", 5L));
    }

    /**
     * An engine that stages dumps gets the whole dump before the instance's load, while the steps between run; the load
     * comes only after the staging returned, and nothing is left staged.
     */
    @Test
    void aStagedRestoreUnpacksBeforeItsLoadAndLeavesNothingStaged() {
        String n = fresh();
        String b = backupOf(n, 7);
        String copy = fresh();
        Operation created = cp.backups.restore(ADMIN, b, copy, null, null, null);
        assertSucceeded(created);
        assertThat(cp.engine.tables(copy)).isEqualTo(Map.of("orders", 7L));
        List<String> calls = cp.engine.faults().calls().stream().filter(c -> c.endsWith(":" + copy)).toList();
        // the staging runs beside the steps before the load (in any order with them), and always before the load
        assertThat(calls).containsSubsequence("stageDump:" + copy, "restoreStaged:" + copy, "restored:" + copy)
                .containsSubsequence("emptyDatabase:" + copy, "restoreStaged:" + copy).doesNotContain("restore:" + copy);
        assertThat(cp.engine.staged(copy)).isEmpty();
    }

    /** A restore that fails before its load stops its staging and removes what was staged. */
    @Test
    void aRestoreThatFailsBeforeItsLoadDiscardsWhatWasStaged() {
        String n = fresh();
        String b = backupOf(n, 3);
        String copy = fresh();
        cp.engine.faults().failOn("emptyDatabase", 1, new IllegalStateException("the database cannot be emptied"));
        Operation failed = cp.operation(cp.backups.restore(ADMIN, b, copy, null, null, null).id());
        assertThat(failed.state()).isEqualTo(OperationState.FAILED);
        assertThat(cp.engine.faults().calls()).contains("discardStaged:" + copy).doesNotContain("restoreStaged:" + copy);
        assertThat(cp.engine.staged(copy)).as("nothing of the dump is left staged").isEmpty();
        assertThat(cp.engine.tables(copy)).as("nothing was loaded").isEmpty();
    }

    /** A staging that fails (a damaged archive) fails the restore at its load, and nothing is loaded. */
    @Test
    void aFailedStagingFailsTheRestoreWithItsOwnErrorAndLoadsNothing() {
        String n = fresh();
        String b = backupOf(n, 4);
        String copy = fresh();
        cp.engine.faults().failOn("stageDump", 1, new io.stratum.core.secret.IntegrityException("segment 3 failed authentication"));
        Operation failed = cp.operation(cp.backups.restore(ADMIN, b, copy, null, null, null).id());
        assertThat(failed.state()).isEqualTo(OperationState.FAILED);
        assertThat(failed.error()).contains("segment 3 failed authentication");
        assertThat(cp.engine.faults().calls()).doesNotContain("restoreStaged:" + copy);
        assertThat(cp.engine.faults().calls()).as("what the staging left is removed").contains("discardStaged:" + copy);
        assertThat(cp.engine.tables(copy)).isEmpty();
    }

    /** A final snapshot that fails leaves a stopped instance stopped (not "available"), and the delete undone. */
    @Test
    void aFailedFinalSnapshotOfAStoppedInstanceLeavesItStopped() {
        String n = fresh();
        created(n);
        assertSucceeded(cp.instances.stop(ADMIN, n));
        Operation delete = cp.operation(cp.instances.delete(ADMIN, n, n, false).id());
        assertThat(delete.state()).isEqualTo(OperationState.FAILED);
        assertThat(status(n)).isEqualTo(InstanceStatus.STOPPED);
        assertThat(backup(delete.input().backup().orElseThrow()).status()).isEqualTo(BackupStatus.FAILED);
    }

    /** A stored drill of the old shape (no position, only the step's name) is placed at the step it was in. */
    @Test
    void anOperationStoredBeforePositionsResumesAtTheRightOccurrence() {
        String b = backupOf(fresh(), 4);
        cp.firewallTable.faults().failOn("apply", 2, new Faults.Crash("the second firewall step"));
        Operation stuck = cp.operation(crashed(() -> cp.backups.verify(ADMIN, b)).id());
        // rewrite it as the untyped runner stored it: a step name and no position
        cp.store.inTransaction(tx -> {
            tx.operations().update(stuck.at(Operation.NOT_STARTED));
            return null;
        });
        assertThat(cp.operation(stuck.id()).position()).isEqualTo(Operation.NOT_STARTED);
        cp = cp.restart();
        assertSucceeded(stuck);
        assertThat(cp.engine.faults().count("restored", stuck.resource())).as("loaded once").isEqualTo(1);
        assertThat(cp.events("backup.drill-passed").stream().filter(e -> e.startsWith("backup/" + b + " "))).hasSize(1);
    }

    /** Runs {@code act}, which must crash; returns the operation it left behind (the newest unfinished one). */
    private static Operation crashed(java.util.function.Supplier<Operation> act) {
        try {
            act.get();
        } catch (Faults.Crash expected) {
            return cp.store.read(tx -> tx.operations().listUnfinished()).stream().reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("the crash left no unfinished operation"));
        }
        throw new AssertionError("the operation did not crash");
    }

    private static void checkRecovered(InstancePlan plan, int position, boolean resumed, Operation op, String passwordBefore) {
        String n = op.resource();
        switch (plan.recoveryAt(position, resumed)) {
            case MARK_FAILED -> {
                assertThat(cp.instance(n)).as("kept for inspection, failed").get()
                        .satisfies(i -> assertThat(i.status()).isEqualTo(InstanceStatus.FAILED));
                assertThat(cp.engine.bulkLoading(n)).as("a failed restore does not run on in bulk-load mode").isFalse();
            }
            case FAIL_BACKUP_ONLY -> {
                assertThat(status(n)).as("in service after a failed backup").isEqualTo(InstanceStatus.AVAILABLE);
                assertThat(backup(op.input().backup().orElseThrow()).status()).isEqualTo(BackupStatus.FAILED);
            }
            case FAIL_DRILL -> {
                String b = op.input().backup().orElseThrow();
                assertThat(backup(b).drill().status()).isEqualTo(Drill.Status.FAILED);
                assertThat(cp.instance(n)).as("scratch instance removed").isEmpty();
                assertThat(cp.placement.hasDirectories(n)).isFalse();
                assertThat(cp.engine.running(n)).isFalse();
            }
            case UNDO_ROTATION -> {
                assertThat(status(n)).isEqualTo(InstanceStatus.AVAILABLE);
                assertThat(masterPassword(n)).as("the previous password stays").isEqualTo(passwordBefore);
            }
            case UNDO_CREATE -> {
                assertThat(cp.instance(n)).as("an interrupted create is undone").isEmpty();
                assertThat(cp.placement.hasDirectories(n)).isFalse();
                assertThat(cp.engine.running(n)).isFalse();
            }
        }
    }
}
