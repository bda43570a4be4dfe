package io.stratum.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * Lets a real client (psql, mariadb, redis-cli) reach a server from a chosen loopback source address: socat listens on
 * 127.0.0.1:{@link #port()} and connects onwards to the target from {@code source} (e.g. 127.0.0.3). Connecting to the
 * target gives up after one second, so a dropped connection fails fast instead of hanging.
 */
public final class SourceRelay implements AutoCloseable {
    private final Process process;
    private final int port;

    private SourceRelay(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static SourceRelay start(String source, String targetHost, int targetPort) {
        int port = FreePort.find();
        try {
            Process p = new ProcessBuilder(List.of("socat", "TCP-LISTEN:" + port + ",bind=127.0.0.1,reuseaddr,fork",
                    "TCP:" + targetHost + ":" + targetPort + ",bind=" + source + ",connect-timeout=1"))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (System.nanoTime() < deadline) {
                if (FreePort.listening(port)) return new SourceRelay(p, port);
                if (!p.isAlive()) throw new IllegalStateException("socat exited with " + p.exitValue());
                Thread.sleep(20);
            }
            p.destroyForcibly();
            throw new IllegalStateException("socat did not listen on " + port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start socat (installed by bin/stratum setup)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Where the client connects (on 127.0.0.1). */
    public int port() {
        return port;
    }

    @Override
    public void close() {
        Proc.killTree(process);
    }
}
