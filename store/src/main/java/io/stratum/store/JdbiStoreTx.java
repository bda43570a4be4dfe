package io.stratum.store;

import io.stratum.core.port.EventRepository;
import io.stratum.core.port.IdempotencyRepository;
import io.stratum.core.port.InstanceRepository;
import io.stratum.core.port.SecretRepository;
import io.stratum.core.port.SecurityGroupRepository;
import io.stratum.core.port.OperationRepository;
import io.stratum.core.port.StackRepository;
import io.stratum.core.port.StageRepository;
import io.stratum.core.port.StoreTx;
import io.stratum.core.port.TokenRepository;
import org.jdbi.v3.core.Handle;

/** Repositories bound to one Jdbi handle (one transaction). */
final class JdbiStoreTx implements StoreTx {
    private final Handle h;

    JdbiStoreTx(Handle h) {
        this.h = h;
    }

    @Override public StackRepository stacks() { return new JdbiStackRepository(h); }

    @Override public StageRepository stages() { return new JdbiStageRepository(h); }

    @Override public OperationRepository operations() { return new JdbiOperationRepository(h); }

    @Override public EventRepository events() { return new JdbiEventRepository(h); }

    @Override public TokenRepository tokens() { return new JdbiTokenRepository(h); }

    @Override public IdempotencyRepository idempotency() { return new JdbiIdempotencyRepository(h); }

    @Override public InstanceRepository instances() { return new JdbiInstanceRepository(h); }

    @Override public SecretRepository secrets() { return new JdbiSecretRepository(h); }

    @Override public SecurityGroupRepository securityGroups() { return new JdbiSecurityGroupRepository(h); }

    @Override public io.stratum.core.port.BastionKeyRepository bastionKeys() { return new JdbiBastionKeyRepository(h); }

    @Override public io.stratum.core.port.ExternalInstanceRepository externals() { return new JdbiExternalInstanceRepository(h); }

    @Override public io.stratum.core.port.BackupRepository backups() { return new JdbiBackupRepository(h); }

    @Override public io.stratum.core.port.BackupStoreRepository backupStores() { return new JdbiBackupStoreRepository(h); }

    @Override public io.stratum.core.port.ManagedUserRepository users() { return new JdbiManagedUserRepository(h); }

    @Override public io.stratum.core.port.QuotaRepository quotas() { return new JdbiQuotaRepository(h); }
}
