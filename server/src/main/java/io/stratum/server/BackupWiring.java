package io.stratum.server;

import io.stratum.backup.StoredArchives;
import io.stratum.core.backup.BackupStore;
import io.stratum.core.port.Envelope;
import io.stratum.core.port.MetadataStore;
import io.stratum.core.reconcile.BackupSteps;
import io.stratum.core.secret.FlatJson;
import io.stratum.core.service.BackupScheduler;
import io.stratum.core.service.BackupService;
import io.stratum.core.service.BackupStoreService;
import io.stratum.core.service.ExternalService;
import io.stratum.core.service.InstanceService;
import io.stratum.core.service.Recorder;
import io.stratum.core.service.SecretService;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Builds the backup parts: archives in their stores (the default directory, added directories and buckets), steps, services. */
final class BackupWiring {
    final StoredArchives archives;
    final BackupSteps steps;
    private final Recorder recorder;
    private final Envelope envelope;
    private final SecretService secrets;
    private final Path defaultDirectory;

    BackupWiring(Recorder recorder, Envelope envelope, SecretService secrets, Path home) {
        this.recorder = recorder;
        this.envelope = envelope;
        this.secrets = secrets;
        this.defaultDirectory = home.resolve("backups");
        MetadataStore store = recorder.store();
        this.archives = new StoredArchives(defaultDirectory, new StoredArchives.StoreLookup() {
            @Override
            public Optional<BackupStore> find(String name) {
                return store.read(tx -> tx.backupStores().find(name));
            }

            @Override
            public List<BackupStore> all() {
                return store.read(tx -> tx.backupStores().list());
            }

            @Override
            public String secretKey(BackupStore s) {
                return s.type() == BackupStore.Type.S3 ? FlatJson.read(secrets.currentValue(s.secretName())).get("secretKey") : null;
            }
        });
        this.steps = new BackupSteps(recorder, envelope, archives);
    }

    record Services(BackupStoreService stores, BackupService backups, BackupScheduler scheduler) {}

    Services services(InstanceService instances, ExternalService externals, io.stratum.core.reconcile.OperationRunner runner,
                      io.stratum.core.reconcile.InstanceLocks locks) {
        BackupStoreService stores = new BackupStoreService(recorder, secrets, archives, defaultDirectory);
        BackupService backups = new BackupService(recorder, envelope, steps, instances, externals, stores, runner, locks);
        return new Services(stores, backups, new BackupScheduler(recorder, backups, stores));
    }
}
