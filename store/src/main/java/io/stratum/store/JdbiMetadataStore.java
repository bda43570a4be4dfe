package io.stratum.store;

import io.stratum.core.port.MetadataStore;
import io.stratum.core.port.StoreTx;
import java.nio.file.Path;
import java.util.function.Function;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The metadata store: Flyway-migrated schema, Jdbi repositories, one transaction per unit of work. */
public final class JdbiMetadataStore implements MetadataStore {
    private static final Logger LOG = LoggerFactory.getLogger(JdbiMetadataStore.class);
    private final StoreConnection connection;
    private final Jdbi jdbi;

    private JdbiMetadataStore(StoreConnection connection) {
        this.connection = connection;
        this.jdbi = Jdbi.create(connection.dataSource());
    }

    /**
     * Opens (and migrates) the store at {@code jdbcUrl}; a null URL means the SQLite file {@code defaultFile}.
     * {@code password} is for PostgreSQL and is never part of the URL we log.
     */
    public static JdbiMetadataStore open(String jdbcUrl, Path defaultFile, String password) {
        StoreConnection connection = StoreConnection.open(jdbcUrl, defaultFile, password);
        try {
            Flyway.configure()
                    .dataSource(connection.dataSource())
                    .locations("classpath:db/migration")
                    .placeholders(connection.dialect().placeholders())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            connection.dataSource().close();
            throw e;
        }
        LOG.info("metadata store ready: {}", connection.description());
        return new JdbiMetadataStore(connection);
    }

    @Override
    public <T> T inTransaction(Function<StoreTx, T> work) {
        return jdbi.inTransaction(handle -> work.apply(new JdbiStoreTx(handle)));
    }

    @Override
    public <T> T read(Function<StoreTx, T> work) {
        return jdbi.withHandle(handle -> work.apply(new JdbiStoreTx(handle)));
    }

    @Override
    public boolean healthy() {
        try {
            return jdbi.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public String description() {
        return connection.description();
    }

    @Override
    public void close() {
        connection.dataSource().close();
    }
}
