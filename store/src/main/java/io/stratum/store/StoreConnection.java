package io.stratum.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.stratum.core.error.ValidationException;
import java.nio.file.Path;
import java.util.Map;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/** Builds the connection pool for a store URL: a SQLite file (default) or PostgreSQL. */
record StoreConnection(HikariDataSource dataSource, Dialect dialect, String description) {

    enum Dialect {
        SQLITE("INTEGER PRIMARY KEY AUTOINCREMENT"),
        POSTGRES("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY");

        final String eventIdColumn;

        Dialect(String eventIdColumn) {
            this.eventIdColumn = eventIdColumn;
        }

        Map<String, String> placeholders() {
            return Map.of("event_id", eventIdColumn);
        }
    }

    static StoreConnection open(String jdbcUrl, Path defaultFile, String password) {
        String url = jdbcUrl == null || jdbcUrl.isBlank() ? "jdbc:sqlite:" + defaultFile : jdbcUrl;
        if (url.startsWith("jdbc:sqlite:")) return sqlite(url);
        if (url.startsWith("jdbc:postgresql:")) return postgres(url, password);
        throw ValidationException.of("store", "unsupported store URL: use jdbc:sqlite:FILE or jdbc:postgresql://HOST:PORT/DATABASE");
    }

    private static StoreConnection sqlite(String url) {
        privateFile(Path.of(url.substring("jdbc:sqlite:".length()).replaceFirst("\\?.*$", "")));
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a transaction acknowledged to a client survives a crash of this process and of the machine.
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        config.enforceForeignKeys(true);
        // Take the write lock at BEGIN so concurrent writers wait (busy timeout) instead of failing on upgrade.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl(url);
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setMaximumPoolSize(4);
        hikari.setPoolName("stratum-store");
        return new StoreConnection(new HikariDataSource(hikari), Dialect.SQLITE, "sqlite:" + url.substring("jdbc:sqlite:".length()));
    }

    /**
     * The database file is created 0600 before SQLite opens it (SQLite gives its -wal and -shm files the same mode), and an
     * existing one that others could read is tightened, with its -wal and -shm files.
     */
    private static void privateFile(Path db) {
        var mode = java.nio.file.attribute.PosixFilePermissions.fromString("rw-------");
        try {
            if (!java.nio.file.Files.exists(db)) {
                java.nio.file.Files.createFile(db, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(mode));
            }
            for (String suffix : java.util.List.of("", "-wal", "-shm", "-journal")) {
                Path f = db.resolveSibling(db.getFileName() + suffix);
                if (java.nio.file.Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) java.nio.file.Files.setPosixFilePermissions(f, mode);
            }
        } catch (java.io.IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("cannot make the metadata store " + db + " private (0600): " + e.getMessage(), e);
        }
    }

    /** A URL or message with its passwords replaced: {@code password=...} parameters and {@code user:password@} user info. */
    static String mask(String text) {
        return text.replaceAll("(?i)(password=)[^&\\s]*", "$1***").replaceAll("(//[^/:@\\s]+):[^@/\\s]*@", "$1:***@");
    }

    private static StoreConnection postgres(String url, String password) {
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(url);
        if (password != null) hikari.setPassword(password);
        hikari.setMaximumPoolSize(8);
        hikari.setPoolName("stratum-store");
        hikari.setInitializationFailTimeout(10_000);
        String shown = mask(url);
        try {
            return new StoreConnection(new HikariDataSource(hikari), Dialect.POSTGRES, shown.substring("jdbc:".length()));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) root = root.getCause();
            boolean noPassword = password == null && !url.toLowerCase(java.util.Locale.ROOT).contains("password=");
            String why = mask(String.valueOf(root.getMessage()));
            if (password != null && !password.isEmpty()) why = why.replace(password, "***");
            throw new StoreUnavailableException("cannot open the metadata store " + shown.substring("jdbc:".length()) + ": " + why
                    + (noPassword ? " (no password was given: set STRATUM_STORE_PASSWORD)" : "")
                    + "; check --store and that the database server is running", null);
        }
    }
}
