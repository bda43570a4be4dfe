package io.stratum.bench;

import io.stratum.engines.EngineFiles;
import io.stratum.engines.ToolRunner;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The baseline: what a person types to get an engine running and answer one authenticated query. */
final class BareEngines implements AutoCloseable {
    static final String DESCRIPTION = "postgres: initdb -A scram-sha-256 --pwfile + pg_ctl start -w + psql over TCP with the password; "
            + "mariadb: mariadb-install-db + mariadbd (64M buffer pool) + mariadb-admin ping until up + mariadb -e 'select 1'; "
            + "redis: redis-server --daemonize with requirepass + redis-cli PING with the password until PONG";
    private static final String PASSWORD = "bench-password-0123456789abcdef";
    private final ToolRunner tools;
    private final String owner;
    private final Path dir;
    private final List<Runnable> cleanups = new ArrayList<>();

    BareEngines(ToolRunner tools, String owner, Path dir) throws Exception {
        this.tools = tools;
        this.owner = owner;
        this.dir = dir;
        Files.createDirectories(dir);
        EngineFiles.chown(dir, owner);
    }

    /** Runs one provisioning by hand; returns its duration in nanoseconds. */
    long run(String engine, int i) throws Exception {
        Path d = dir.resolve(engine + "-" + (i < 0 ? "warm" : String.valueOf(i)));
        Files.createDirectories(d);
        EngineFiles.chown(d, owner);
        int port = freePort();
        return switch (engine) {
            case "postgres" -> postgres(d, port);
            case "mariadb" -> mariadb(d, port);
            default -> redis(d, port);
        };
    }

    private long postgres(Path d, int port) throws Exception {
        Path bin = Path.of("/usr/lib/postgresql/15/bin");
        Path pwfile = d.resolve("pwfile");
        EngineFiles.writeOwned(pwfile, PASSWORD + "\n", owner);
        long t0 = System.nanoTime();
        tools.engine(List.of(bin.resolve("initdb").toString(), "-D", d.resolve("data").toString(), "-U", "postgres", "-A",
                "scram-sha-256", "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C.UTF-8"), null, null, Duration.ofMinutes(2));
        tools.engine(List.of(bin.resolve("pg_ctl").toString(), "-D", d.resolve("data").toString(), "-o",
                "-p " + port + " -k " + d + " -c listen_addresses=127.0.0.1", "-l", d.resolve("log").toString(), "-w", "start"),
                null, null, Duration.ofMinutes(1));
        tools.self(List.of("psql", "-X", "-h", "127.0.0.1", "-p", String.valueOf(port), "-U", "postgres", "-c", "select 1"),
                Map.of("PGPASSWORD", PASSWORD), null, Duration.ofSeconds(30));
        long t = System.nanoTime() - t0;
        cleanups.add(() -> tools.engine(List.of(bin.resolve("pg_ctl").toString(), "-D", d.resolve("data").toString(), "-m",
                "immediate", "stop"), null, null, Duration.ofSeconds(30)));
        return t;
    }

    private long mariadb(Path d, int port) throws Exception {
        Path sock = d.resolve("my.sock");
        long t0 = System.nanoTime();
        tools.engine(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + d.resolve("data"),
                "--auth-root-authentication-method=normal", "--skip-test-db"), null, null, Duration.ofMinutes(2));
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(tools.asEngineUser());
        argv.addAll(List.of("/usr/sbin/mariadbd", "--no-defaults", "--datadir=" + d.resolve("data"), "--port=" + port,
                "--bind-address=127.0.0.1", "--socket=" + sock, "--pid-file=" + d.resolve("my.pid"), "--innodb-buffer-pool-size=64M"));
        new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(d.resolve("out.log").toFile()).start();
        List<String> ping = List.of("mariadb-admin", "--no-defaults", "-S", sock.toString(), "-u", "root", "ping");
        while (tools.run(ping, null, null, Duration.ofSeconds(10), null).exit() != 0) Thread.sleep(10);
        tools.self(List.of("mariadb", "--no-defaults", "-S", sock.toString(), "-u", "root", "-e", "select 1"), null, null,
                Duration.ofSeconds(30));
        long t = System.nanoTime() - t0;
        cleanups.add(() -> EngineFiles.terminate(EngineFiles.readPid(d.resolve("my.pid")), d.resolve("data"), Duration.ofSeconds(60), "mariadbd"));
        return t;
    }

    private long redis(Path d, int port) throws Exception {
        Path conf = d.resolve("redis.conf");
        EngineFiles.writeOwned(conf, "port " + port + "\nbind 127.0.0.1\ndaemonize yes\npidfile " + d.resolve("redis.pid") + "\ndir "
                + d + "\nrequirepass " + PASSWORD + "\nsave \"\"\n", owner);
        long t0 = System.nanoTime();
        tools.engine(List.of("redis-server", conf.toString()), null, null, Duration.ofSeconds(30));
        List<String> ping = List.of("redis-cli", "-p", String.valueOf(port), "--no-auth-warning", "ping");
        while (!tools.run(ping, Map.of("REDISCLI_AUTH", PASSWORD), null, Duration.ofSeconds(10), null).stdout().contains("PONG")) {
            Thread.sleep(10);
        }
        long t = System.nanoTime() - t0;
        cleanups.add(() -> EngineFiles.terminate(EngineFiles.readPid(d.resolve("redis.pid")), d, Duration.ofSeconds(30), "redis"));
        return t;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Runnable r : cleanups) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.err.println("cleanup: " + e.getMessage());
            }
        }
    }
}
