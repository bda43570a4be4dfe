package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.backup.Backup;
import io.stratum.core.backup.BackupStatus;
import io.stratum.core.model.Stack;
import io.stratum.core.port.BackupArchives;
import io.stratum.core.reconcile.BackupSteps;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.core.service.EventBus;
import io.stratum.core.service.Recorder;
import io.stratum.server.security.MasterKey;
import io.stratum.server.security.MasterKeyring;
import io.stratum.store.JdbiMetadataStore;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A backup store that hangs (an unreachable bucket) never holds the metadata store's write lock: other changes go on. */
class SlowStoreTransactionTest {
    @TempDir
    Path home;

    @Test
    void failingABackupDeletesFromTheStoreOutsideTheTransaction() throws Exception {
        try (JdbiMetadataStore store = JdbiMetadataStore.open(null, home.resolve("stratum.db"), null)) {
            Recorder recorder = new Recorder(store, new EventBus(), Clock.systemUTC());
            MasterKeyring keys = new MasterKeyring(MasterKey.generate());
            CountDownLatch deleting = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            BackupArchives hanging = (BackupArchives) Proxy.newProxyInstance(BackupArchives.class.getClassLoader(),
                    new Class<?>[] {BackupArchives.class}, (p, m, a) -> {
                        if (m.getName().equals("delete")) {
                            deleting.countDown();
                            release.await(30, TimeUnit.SECONDS);
                        }
                        return null;
                    });
            BackupSteps steps = new BackupSteps(recorder, keys, hanging);
            Backup draft = Backup.draft("bk-x-1", new Backup.Origin("x", "postgres", "15", false, null, null, "app", "app"), "manual",
                    "default", Instant.now());
            Backup b = draft.withDataKey(keys.seal(new byte[32], draft.keyContext()));
            store.inTransaction(tx -> {
                tx.backups().insert(b);
                return null;
            });
            var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor(); // not the common pool: one worker on 2 cores
            CompletableFuture<Void> failing = CompletableFuture.runAsync(() -> steps.fail(b.id(), "the dump failed"), threads);
            assertThat(deleting.await(10, TimeUnit.SECONDS)).isTrue();
            // while the store hangs, another change commits at once (it would wait for the busy timeout under a held write lock)
            CompletableFuture<Void> other = CompletableFuture.runAsync(() -> recorder.record(SystemActor.PRINCIPAL, tx -> {
                tx.stacks().insert(new Stack("meanwhile", Instant.now()));
                return new Recorder.Change<>(null, "stack/meanwhile", "meanwhile", "stack.create", null);
            }), threads);
            other.get(3, TimeUnit.SECONDS);
            release.countDown();
            failing.get(10, TimeUnit.SECONDS);
            assertThat(store.read(tx -> tx.backups().find(b.id())).orElseThrow().status()).isEqualTo(BackupStatus.FAILED);
        }
    }
}
