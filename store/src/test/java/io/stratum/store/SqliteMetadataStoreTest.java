package io.stratum.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.model.Stack;
import io.stratum.core.model.Stage;
import io.stratum.core.port.MetadataStore;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteMetadataStoreTest extends MetadataStoreContract {
    @TempDir
    Path dir;
    private MetadataStore store;

    @BeforeEach
    void open() {
        store = JdbiMetadataStore.open(null, dir.resolve("stratum.db"), null);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Override
    MetadataStore store() {
        return store;
    }

    @Override
    MetadataStore reopen() {
        return JdbiMetadataStore.open("jdbc:sqlite:" + dir.resolve("stratum.db"), null, null);
    }

    /** A store at schema version {@code version} with {@code rows} inserted by SQL, then opened (migrated to the latest). */
    private static MetadataStore migratedFrom(Path old, String version, List<String> rows) throws Exception {
        String url = "jdbc:sqlite:" + old.resolve("stratum.db");
        org.flywaydb.core.Flyway.configure().dataSource(url, null, null).locations("classpath:db/migration")
                .placeholders(java.util.Map.of("event_id", "INTEGER PRIMARY KEY AUTOINCREMENT")).target(version).load().migrate();
        try (var c = DriverManager.getConnection(url); var st = c.createStatement()) {
            for (String row : rows) st.executeUpdate(row);
        }
        return JdbiMetadataStore.open(url, null, null);
    }

    @Test
    void anInstanceStoredFullBeforeTheTypedFlagReadsBackFullAndOthersDoNot(@TempDir Path old) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String[] row : List.of(new String[] {"full", "15001", "'storage full: 5368709120 bytes used of 5 GiB'", "MODIFYING"},
                new String[] {"started-full", "15004", "NULL", "STORAGE_FULL"},
                new String[] {"fine", "15002", "NULL", "MODIFYING"}, new String[] {"other", "15003", "'engine did not start'", "FAILED"})) {
            rows.add("INSERT INTO instances (name, engine, version, instance_class, storage_gib, max_storage_gib, port, "
                    + "public_access, master_user, security_groups, backup_retention_days, backup_window, deletion_protection, "
                    + "params, tls, status, pending, last_error, storage_used_bytes, master_password_sealed, created_at, updated_at) "
                    + "VALUES ('" + row[0] + "', 'postgres', '15', 'SMALL', 5, 5, " + row[1] + ", 0, 'app', '', 7, '03:00-03:30', 0, "
                    + "'', 'prefer', '" + row[3] + "', '', " + row[2] + ", 0, '', 0, 0)");
        }
        MetadataStore migrated = migratedFrom(old, "13", rows);
        try {
            assertThat(migrated.read(tx -> tx.instances().find("full")).orElseThrow().storageFull()).isTrue();
            assertThat(migrated.read(tx -> tx.instances().find("started-full")).orElseThrow().storageFull()).isTrue();
            assertThat(migrated.read(tx -> tx.instances().find("fine")).orElseThrow().storageFull()).isFalse();
            assertThat(migrated.read(tx -> tx.instances().find("other")).orElseThrow().storageFull()).isFalse();
        } finally {
            migrated.close();
        }
    }

    @Test
    void aBackupOfAnExternalDatabaseStoredWithTheVersionMarkerReadsBackExternal(@TempDir Path old) throws Exception {
        List<String> rows = new ArrayList<>();
        for (String[] row : List.of(new String[] {"bk-ext-0a0a0a0a0a0a", "external"}, new String[] {"bk-own-0b0b0b0b0b0b", "15"})) {
            rows.add("INSERT INTO backups (id, instance, engine, version, kind, status, database_name, master_user, key_id, wrapped_key, "
                    + "sealed_data_key, chunks, dump_bytes, stored_bytes, created_at, store) VALUES ('" + row[0] + "', 'x', 'postgres', '"
                    + row[1] + "', 'manual', 'available', 'app', 'app', 'k1', 'AA==', 'AA==', 1, 1, 1, 0, 'default')");
        }
        MetadataStore migrated = migratedFrom(old, "14", rows);
        try {
            assertThat(migrated.read(tx -> tx.backups().find("bk-ext-0a0a0a0a0a0a")).orElseThrow().origin().external()).isTrue();
            assertThat(migrated.read(tx -> tx.backups().find("bk-own-0b0b0b0b0b0b")).orElseThrow().origin().external()).isFalse();
        } finally {
            migrated.close();
        }
    }

    @Test
    void storePasswordsAreMaskedInWhatIsShown() {
        assertThat(StoreConnection.mask("jdbc:postgresql://stratum:s3cret@db.internal:5432/stratum?password=other&ssl=true"))
                .isEqualTo("jdbc:postgresql://stratum:***@db.internal:5432/stratum?password=***&ssl=true");
        assertThat(StoreConnection.mask("connection to postgresql://u:pw@h/db refused")).doesNotContain("pw@").contains("u:***@h");
    }

    @Test
    void usesWalForeignKeysAndABusyTimeout() throws Exception {
        try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("stratum.db"))) {
            var rs = c.createStatement().executeQuery("PRAGMA journal_mode");
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("wal");
        }
        // foreign keys: checked by the contract (stage of a missing stack is refused)
        assertThat(store.healthy()).isTrue();
    }

    @Test
    void concurrentWritersAllSucceed() throws Exception {
        Instant now = Instant.now();
        store.inTransaction(tx -> tx.stacks().insert(new Stack("busy", now)));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Boolean>> results = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String name = "stage" + i;
            results.add(pool.submit(() -> store.inTransaction(tx -> tx.stages().insert(new Stage("busy", name, now)))));
        }
        for (Future<Boolean> f : results) assertThat(f.get()).isTrue();
        pool.shutdown();
        int count = store.inTransaction(tx -> tx.stages().listByStack("busy")).size();
        assertThat(count).isEqualTo(200);
    }

    @Test
    void rejectsAnUnsupportedStoreUrl() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> JdbiMetadataStore.open("jdbc:mysql://x/y", null, null))
                .hasMessageContaining("jdbc:sqlite:FILE or jdbc:postgresql://");
    }
}
