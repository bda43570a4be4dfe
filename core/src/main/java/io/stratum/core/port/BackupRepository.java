package io.stratum.core.port;

import io.stratum.core.backup.Backup;
import java.util.List;
import java.util.Optional;

public interface BackupRepository {
    boolean insert(Backup b);

    Optional<Backup> find(String id);

    /** All backups, newest first, or one instance's when {@code instance} is not null. */
    List<Backup> list(String instance);

    void update(Backup b);

    boolean delete(String id);

    /** A deleted stack's backups belong to no stack any more (admins see them; a new stack of that name does not). */
    int detachStack(String stack);
}
