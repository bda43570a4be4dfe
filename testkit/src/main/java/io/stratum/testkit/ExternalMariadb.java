package io.stratum.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real MariaDB started from Debian's binaries in a temporary directory, outside Stratum (an "external" database):
 * 127.0.0.1 only, user {@code app} with a password and database {@code app}. Runs as 'stratum' when tests run as root.
 */
public final class ExternalMariadb implements AutoCloseable {
    private final Path dir;
    private final int port;
    private final String password;
    private final Process process;

    private ExternalMariadb(Path dir, int port, String password, Process process) {
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.process = process;
    }

    public static ExternalMariadb start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "stratum-mariadb-");
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
            if (Proc.isRoot()) Proc.run("chown", "-R", "stratum:stratum", dir.toString()).requireSuccess("chown");
            String socketUser = Proc.isRoot() ? "stratum" : System.getProperty("user.name");
            Proc.run(Proc.asEngineUser(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + dir.resolve("data"),
                    "--auth-root-authentication-method=socket", "--auth-root-socket-user=" + socketUser, "--skip-test-db")),
                    null, null, null, 120).requireSuccess("mariadb-install-db");
            int port = FreePort.find();
            Path socket = dir.resolve("mariadb.sock");
            Process p = new ProcessBuilder(Proc.asEngineUser(List.of("/usr/sbin/mariadbd", "--no-defaults",
                    "--datadir=" + dir.resolve("data"), "--socket=" + socket, "--port=" + port, "--bind-address=127.0.0.1",
                    "--skip-name-resolve", "--pid-file=" + dir.resolve("mariadb.pid"), "--innodb-buffer-pool-size=16M")))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("mariadb.log").toFile()).start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(socket) && System.nanoTime() < deadline) Thread.sleep(50);
            String password = HexFormat.of().formatHex(randomBytes(16));
            Proc.run(Proc.asEngineUser(List.of("mariadb", "--no-defaults", "--socket=" + socket, "-u", socketUser)), null, null,
                    "CREATE DATABASE app; CREATE USER 'app'@'%' IDENTIFIED BY '" + password + "'; GRANT ALL ON app.* TO 'app'@'%';\n", 30)
                    .requireSuccess("creating user app");
            return new ExternalMariadb(dir, port, password, p);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String password() {
        return password;
    }

    /** Runs SQL as {@code app} over TCP with the real client; returns stdout. */
    public String sql(String sql) {
        return Proc.run(List.of("mariadb", "--no-defaults", "-N", "-B", "-h", "127.0.0.1", "-P", String.valueOf(port), "-u", "app", "app",
                "-e", sql), Map.of("MYSQL_PWD", password), null, null, 30).requireSuccess("mariadb").stdout().trim();
    }

    @Override
    public void close() {
        Proc.killTree(process);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
