package io.stratum.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server started from Debian's binaries in a temporary directory, outside Stratum: the kind of
 * database a test needs as a peer (a PostgreSQL metadata store, later an "external" managed database).
 * Runs as the 'stratum' user when the tests run as root; listens on 127.0.0.1 only; password auth (scram).
 */
public final class ExternalPostgres implements AutoCloseable {
    private final Path dir;
    private final Path bin;
    private final int port;
    private final String password;

    private ExternalPostgres(Path dir, Path bin, int port, String password) {
        this.dir = dir;
        this.bin = bin;
        this.port = port;
        this.password = password;
    }

    public static ExternalPostgres start() {
        return start(false);
    }

    /**
     * With TLS on, its certificate issued for 127.0.0.1 and localhost by a CA of its own (made here with openssl):
     * {@link #caFile()} verifies it, the system's CAs do not.
     */
    public static ExternalPostgres startWithTls() {
        return start(true);
    }

    /** The CA that issued the TLS certificate (see {@link #startWithTls()}). */
    public Path caFile() {
        return dir.resolve("ca.pem");
    }

    private static void certificates(Path dir) throws IOException {
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        String d = dir.toString();
        for (List<String> argv : List.of(
                List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", d + "/ca.key",
                        "-out", d + "/ca.pem", "-days", "2", "-subj", "/CN=stratum-test-provider-ca"),
                List.of("openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", d + "/server.key",
                        "-out", d + "/server.csr", "-subj", "/CN=127.0.0.1"),
                List.of("openssl", "x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca.key", "-CAcreateserial",
                        "-out", d + "/server.crt", "-days", "2", "-extfile", d + "/san.ext"))) {
            Proc.run(argv, null, null, null, 60).requireSuccess("openssl");
        }
        Files.setPosixFilePermissions(dir.resolve("server.key"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    }

    private static ExternalPostgres start(boolean tls) {
        try {
            Path bin = binDir();
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "stratum-pg-");
            String password = HexFormat.of().formatHex(randomBytes(16));
            if (tls) certificates(dir);
            Path pwfile = dir.resolve("pwfile");
            Files.writeString(pwfile, password + "\n");
            if (Proc.isRoot()) Proc.run("chown", "-R", "stratum:stratum", dir.toString()).requireSuccess("chown");
            Proc.run(Proc.asEngineUser(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(),
                    "-U", "postgres", "-A", "scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--no-sync")),
                    null, null, null, 120).requireSuccess("initdb");
            Files.delete(pwfile);
            int port = FreePort.find();
            Proc.run(Proc.asEngineUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                    "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                            + (tls ? " -c ssl=on -c ssl_cert_file=" + dir.resolve("server.crt") + " -c ssl_key_file=" + dir.resolve("server.key") : ""),
                    "-l", dir.resolve("log").toString(), "-w", "start")), null, null, null, 60).requireSuccess("pg_ctl start");
            return new ExternalPostgres(dir, bin, port, password);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** JDBC URL for database {@code postgres} as user {@code postgres}; the password is separate. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    public String psql(String sql) {
        return Proc.run(List.of("psql", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-d", "postgres",
                        "-At", "-v", "ON_ERROR_STOP=1", "-c", sql), java.util.Map.of("PGPASSWORD", password), null, null, 60)
                .requireSuccess("psql").stdout().trim();
    }

    @Override
    public void close() {
        Proc.run(Proc.asEngineUser(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(),
                "-m", "immediate", "-w", "stop")), null, null, null, 60);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    private static Path binDir() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString))
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql: run bin/stratum setup"));
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
