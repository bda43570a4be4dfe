package io.stratum.bench;

import io.javalin.Javalin;
import io.stratum.server.http.HttpFront;
import io.stratum.server.http.TlsConnector;
import io.stratum.server.security.InternalCa;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.eclipse.jetty.server.ServerConnector;
import org.sqlite.SQLiteConfig;

/**
 * The floor for the {@code api} scenario: a bare Javalin endpoint over the same TLS, doing the equivalent SQLite write
 * (same pragmas: WAL, synchronous FULL) and read with one JDBC connection; no auth, validation, events or store layer.
 */
final class BareSqliteEndpoint implements AutoCloseable {
    private final Javalin app;
    private final ServerConnector connector;
    private final Connection db;

    BareSqliteEndpoint(Path file, InternalCa ca) throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(10_000);
        db = config.createConnection("jdbc:sqlite:" + file);
        db.createStatement().execute("CREATE TABLE stages (stack TEXT NOT NULL, name TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (stack, name))");
        char[] password = HttpFront.randomPassword();
        var keyStore = ca.keyStore(ca.issueServer("bench", List.of("127.0.0.1", "localhost"), java.time.Duration.ofDays(1)), password);
        ServerConnector[] holder = new ServerConnector[1];
        app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.jetty.addConnector((server, http) -> holder[0] = TlsConnector.create(server, http, keyStore, password, "127.0.0.1", 0));
        });
        app.post("/stages/{stack}", ctx -> {
            String name = ctx.bodyAsClass(NameBody.class).name();
            synchronized (db) {
                try (PreparedStatement ps = db.prepareStatement("INSERT INTO stages VALUES (?, ?, ?)")) {
                    ps.setString(1, ctx.pathParam("stack"));
                    ps.setString(2, name);
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
            }
            ctx.status(201).json(new NameBody(name));
        });
        app.get("/stages/{stack}/{name}", ctx -> {
            synchronized (db) {
                try (PreparedStatement ps = db.prepareStatement("SELECT name, created_at FROM stages WHERE stack = ? AND name = ?")) {
                    ps.setString(1, ctx.pathParam("stack"));
                    ps.setString(2, ctx.pathParam("name"));
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            ctx.status(404);
                            return;
                        }
                        ctx.json(new NameBody(rs.getString(1)));
                    }
                }
            }
        });
        app.start();
        connector = holder[0];
    }

    record NameBody(String name) {}

    void insertDirect(String stack, String name) throws SQLException {
        synchronized (db) {
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO stages VALUES (?, ?, ?)")) {
                ps.setString(1, stack);
                ps.setString(2, name);
                ps.setLong(3, System.currentTimeMillis());
                ps.executeUpdate();
            }
        }
    }

    String url() {
        return "https://127.0.0.1:" + connector.getLocalPort();
    }

    @Override
    public void close() throws SQLException {
        app.stop();
        db.close();
    }
}
