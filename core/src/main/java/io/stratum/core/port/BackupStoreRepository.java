package io.stratum.core.port;

import io.stratum.core.backup.BackupPolicy;
import io.stratum.core.backup.BackupStore;
import java.util.List;
import java.util.Optional;

/** Backup stores added by users, and each instance's backup policy. */
public interface BackupStoreRepository {
    boolean insert(BackupStore s);

    Optional<BackupStore> find(String name);

    List<BackupStore> list();

    boolean delete(String name);

    Optional<BackupPolicy> policy(String instance);

    void savePolicy(BackupPolicy p);

    void deletePolicy(String instance);

    /** Instances whose backups go to {@code store}. */
    List<String> instancesUsing(String store);
}
