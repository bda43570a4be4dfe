package io.stratum.store;

import io.stratum.core.port.MetadataStore;
import io.stratum.testkit.ExternalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The same contract against a real PostgreSQL 15 server started by the test (the HA store option). */
class PostgresMetadataStoreIT extends MetadataStoreContract {
    private static ExternalPostgres pg;
    private static MetadataStore store;

    @BeforeAll
    static void start() {
        pg = ExternalPostgres.start();
        store = JdbiMetadataStore.open(pg.jdbcUrl(), null, pg.password());
    }

    @AfterAll
    static void stop() {
        if (store != null) store.close();
        if (pg != null) pg.close();
    }

    /** A PostgreSQL store without its password names the setting to give, not the connection pool's exception. */
    @org.junit.jupiter.api.Test
    void aMissingPasswordIsNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JdbiMetadataStore.open(pg.jdbcUrl(), null, null))
                .isInstanceOf(StoreUnavailableException.class)
                .hasMessageContaining("STRATUM_STORE_PASSWORD").hasMessageContaining("cannot open the metadata store postgresql://")
                .hasMessageNotContaining("Hikari").hasMessageNotContaining("PoolInitialization");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JdbiMetadataStore.open(pg.jdbcUrl(), null, "wrong-" + pg.password()))
                .isInstanceOf(StoreUnavailableException.class).hasMessageContaining("password authentication failed")
                .hasMessageNotContaining(pg.password()).hasMessageNotContaining("STRATUM_STORE_PASSWORD");
    }

    @Override
    MetadataStore store() {
        return store;
    }

    @Override
    MetadataStore reopen() {
        return JdbiMetadataStore.open(pg.jdbcUrl(), null, pg.password());
    }
}
