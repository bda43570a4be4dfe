package io.stratum.bench;

import io.stratum.engines.EngineFiles;
import io.stratum.engines.ToolRunner;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * PostgreSQL set up for TLS by hand, as its documentation says (initdb, a self-signed EC P-256 certificate made with
 * openssl, {@code ssl = on}), with the memory settings of Stratum's class small: the baseline that separates what TLS costs
 * from what Stratum adds.
 */
final class BareTlsPostgres implements AutoCloseable {
    static final String PASSWORD = "bench-password-0123456789abcdef";
    static final String DESCRIPTION = "initdb -A scram-sha-256; openssl req -x509 -newkey ec (P-256) self-signed; ssl = on, "
            + "shared_buffers 64MB, work_mem 4MB, max_connections 100 (what class small sets); pg_ctl start";
    private final ToolRunner tools;
    private final Path dir;
    final int port;

    BareTlsPostgres(ToolRunner tools, String owner, Path dir) throws Exception {
        this.tools = tools;
        this.dir = dir;
        Files.createDirectories(dir);
        EngineFiles.chown(dir, owner);
        Path bin = Path.of("/usr/lib/postgresql/15/bin");
        Path pwfile = dir.resolve("pwfile");
        EngineFiles.writeOwned(pwfile, PASSWORD + "\n", owner);
        tools.engine(List.of(bin.resolve("initdb").toString(), "-D", dir.resolve("data").toString(), "-U", "postgres", "-A",
                "scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C.UTF-8"), null, null, Duration.ofMinutes(2));
        tools.engine(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", dir.resolve("server.key").toString(), "-out", dir.resolve("server.crt").toString(), "-days", "2",
                "-subj", "/CN=127.0.0.1"), null, null, Duration.ofSeconds(30));
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        tools.engine(List.of(bin.resolve("pg_ctl").toString(), "-D", dir.resolve("data").toString(), "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c shared_buffers=64MB -c work_mem=4MB -c max_connections=100 -c ssl=on -c ssl_cert_file="
                        + dir.resolve("server.crt") + " -c ssl_key_file=" + dir.resolve("server.key"),
                "-l", dir.resolve("log").toString(), "-w", "start"), null, null, Duration.ofMinutes(1));
    }

    @Override
    public void close() {
        tools.engine(List.of("/usr/lib/postgresql/15/bin/pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "stop"), null,
                null, Duration.ofSeconds(30));
    }
}
