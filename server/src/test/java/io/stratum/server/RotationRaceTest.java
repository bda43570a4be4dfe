package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.backup.Backup;
import io.stratum.core.home.StratumHome;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.core.service.EventBus;
import io.stratum.core.service.Recorder;
import io.stratum.server.security.MasterKeyRotation;
import io.stratum.server.security.MasterKeyring;
import io.stratum.store.JdbiMetadataStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup drafted (its data key sealed) while a master-key rotation starts is never left under the forgotten key. */
class RotationRaceTest {
    @TempDir
    Path dir;

    @Test
    void aRotationWaitsForADraftSealedBeforeItAndRewrapsIt() throws Exception {
        StratumHome home = new StratumHome(dir);
        MasterKeyring ring = MasterKeyRotation.load(home);
        try (JdbiMetadataStore raw = JdbiMetadataStore.open(null, home.defaultStoreFile(), null)) {
            Recorder recorder = new Recorder(new SealingGuardedStore(raw, ring), new EventBus(), Clock.systemUTC());
            MasterKeyRotation rotation = new MasterKeyRotation(home, ring, recorder);
            var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
            CountDownLatch sealed = new CountDownLatch(1);
            CountDownLatch goOn = new CountDownLatch(1);
            String oldKey = ring.currentId();
            // what BackupService does: seal a new backup's data key, then store it in a transaction
            CompletableFuture<Backup> drafting = CompletableFuture.supplyAsync(() -> ring.sealing(() -> {
                Backup draft = Backup.draft("bk-race-1", new Backup.Origin("x", "postgres", "15", false, null, null, "app", "app"),
                        "manual", "default", Instant.now());
                Backup b = draft.withDataKey(ring.seal(new byte[32], draft.keyContext()));
                sealed.countDown();
                await(goOn);
                recorder.record(SystemActor.PRINCIPAL, tx -> {
                    tx.backups().insert(b);
                    return new Recorder.Change<>(null, "backup/" + b.id(), null, "backup.create", null);
                });
                return b;
            }), threads);
            assertThat(sealed.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<Integer> rotating = CompletableFuture.supplyAsync(() -> rotation.rotate(SystemActor.PRINCIPAL), threads);
            Thread.sleep(300);
            assertThat(rotating).as("the rotation waits for the draft under way").isNotDone();
            goOn.countDown();
            assertThat(drafting.get(10, TimeUnit.SECONDS).dataKey().keyId()).isEqualTo(oldKey);
            rotating.get(20, TimeUnit.SECONDS);
            // after the rotation only the new key exists, on disk too; the draft's key opens with it
            MasterKeyring fromDisk = MasterKeyRotation.load(home);
            Backup stored = raw.read(tx -> tx.backups().find("bk-race-1")).orElseThrow();
            assertThat(stored.dataKey().keyId()).isNotEqualTo(oldKey);
            assertThat(fromDisk.open(stored.dataKey(), stored.keyContext())).hasSize(32);
        }
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
