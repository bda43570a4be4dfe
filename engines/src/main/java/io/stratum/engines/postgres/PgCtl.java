package io.stratum.engines.postgres;

import io.stratum.engines.ToolRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code initdb} and {@code pg_ctl} of one PostgreSQL version, run as the engine user. */
final class PgCtl {
    private final ToolRunner tools;
    private final Path bin;

    PgCtl(ToolRunner tools, Path bin) {
        this.tools = tools;
        this.bin = bin;
    }

    /** A fresh cluster whose only superuser is the admin, reachable by peer auth on the socket only. */
    void initdb(Path dataDir) {
        tools.engine(List.of(bin.resolve("initdb").toString(), "-D", dataDir.toString(), "-U", Psql.ADMIN, "--auth-local=peer",
                "--auth-host=reject", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"), null, null, Duration.ofMinutes(2));
    }

    /** Starts detached (own session) and waits until it accepts connections. */
    void start(Path dataDir, Path config, Path logFile) {
        List<String> argv = new ArrayList<>(List.of("setsid"));
        argv.addAll(tools.asEngineUser());
        argv.addAll(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-o", "-c config_file=" + config,
                "-l", logFile.toString(), "-w", "-t", "60", "start"));
        tools.self(argv, null, null, Duration.ofSeconds(90));
    }

    void stop(Path dataDir) {
        tools.engine(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "60", "stop"),
                null, null, Duration.ofSeconds(90));
    }
}
