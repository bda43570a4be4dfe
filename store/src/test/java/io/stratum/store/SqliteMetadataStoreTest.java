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
