package io.stratum.core.port;

/** The repositories available inside one transaction. */
public interface StoreTx {
    StackRepository stacks();

    StageRepository stages();

    OperationRepository operations();

    EventRepository events();

    TokenRepository tokens();

    IdempotencyRepository idempotency();

    InstanceRepository instances();

    SecretRepository secrets();

    SecurityGroupRepository securityGroups();

    BastionKeyRepository bastionKeys();

    ExternalInstanceRepository externals();

    BackupRepository backups();

    BackupStoreRepository backupStores();

    ManagedUserRepository users();

    QuotaRepository quotas();
}
