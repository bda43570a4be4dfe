package io.stratum.engines.postgres;

import io.stratum.engines.DetachedProcess;
import io.stratum.engines.EngineFiles;
import io.stratum.engines.ToolException;
import io.stratum.engines.ToolRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    /**
     * Starts the postmaster detached (own session) and waits until postmaster.pid reports {@code ready}, as
     * {@code pg_ctl -w} does, but polling every 10 ms instead of every 100 ms.
     */
    void start(Path dataDir, Path config, Path logFile) {
        Process p = DetachedProcess.start(tools, List.of(bin.resolve("postgres").toString(), "-D", dataDir.toString(), "-c",
                "config_file=" + config), logFile, null);
        Path pidFile = dataDir.resolve("postmaster.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!p.isAlive() && p.exitValue() != 0) {
                throw new ToolException("postgres exited during start-up (exit " + p.exitValue() + "): "
                        + String.join(" | ", EngineFiles.tail(logFile, 5)));
            }
            if (ready(pidFile)) return;
            EngineFiles.sleep(10);
        }
        throw new ToolException("postgres did not become ready within 90 s: " + String.join(" | ", EngineFiles.tail(logFile, 5)));
    }

    /** postmaster.pid line 1 is the pid, line 8 the status. */
    private static boolean ready(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile);
            return lines.size() >= 8 && lines.get(7).trim().equals("ready") && EngineFiles.alive(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * A fast shutdown (sessions ended, a checkpoint), waited for as {@code pg_ctl -w} does, until postmaster.pid is gone,
     * but polling every 10 ms instead of every 100 ms. A postmaster that died on its way down leaves the file behind:
     * that is not a clean stop (its last checkpoint may be missing), and is reported as such.
     */
    void stop(Path dataDir) {
        tools.engine(List.of(bin.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "fast", "-W", "stop"), null, null,
                Duration.ofSeconds(30));
        Path pidFile = dataDir.resolve("postmaster.pid");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (Files.exists(pidFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            long pid = EngineFiles.readPid(pidFile);
            if (pid > 0 && !EngineFiles.alive(pid) && Files.exists(pidFile, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new ToolException("postgres (pid " + pid + ") ended without finishing its shutdown: " + pidFile + " is left "
                        + "behind; its next start recovers from the WAL");
            }
            if (System.nanoTime() > deadline) throw new ToolException("postgres did not stop within 60 s (" + pidFile + " is still there)");
            EngineFiles.sleep(10);
        }
    }
}
