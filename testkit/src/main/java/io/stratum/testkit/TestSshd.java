package io.stratum.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * OpenSSH's sshd as a real peer: 127.0.0.1 only, key-only logins for this process's user with {@link #clientKey()},
 * TCP forwarding allowed. Can be killed, restarted on the same port, and given a new host key.
 */
public final class TestSshd implements AutoCloseable {
    private final Path dir;
    private final int port;
    private Process process;

    private TestSshd(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static TestSshd start() {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), "stratum-sshd-");
            keygen(dir.resolve("host_key"));
            keygen(dir.resolve("client_key"));
            Files.copy(dir.resolve("client_key.pub"), dir.resolve("authorized_keys"));
            int port = FreePort.find();
            Files.writeString(dir.resolve("sshd_config"), String.join("\n", "Port " + port, "ListenAddress 127.0.0.1",
                    "HostKey " + dir.resolve("host_key"), "AuthorizedKeysFile " + dir.resolve("authorized_keys"),
                    "PubkeyAuthentication yes", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
                    "StrictModes no", "PermitRootLogin prohibit-password", "AllowTcpForwarding yes",
                    "PidFile " + dir.resolve("sshd.pid"), ""));
            Files.createDirectories(Path.of("/run/sshd"));
            TestSshd sshd = new TestSshd(dir, port);
            sshd.launch();
            return sshd;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keygen(Path file) {
        Proc.run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", file.toString()).requireSuccess("ssh-keygen");
    }

    private void launch() throws IOException {
        process = new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", dir.resolve("sshd_config").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("sshd.log").toFile()).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) throw new IllegalStateException("sshd exited: " + Files.readString(dir.resolve("sshd.log")));
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        throw new IllegalStateException("sshd did not listen on " + port);
    }

    public int port() {
        return port;
    }

    public String user() {
        return System.getProperty("user.name");
    }

    public Path clientKey() {
        return dir.resolve("client_key");
    }

    /** The host key as an OpenSSH public key line (type and base64). */
    public String hostKey() {
        try {
            String[] f = Files.readString(dir.resolve("host_key.pub")).trim().split("\\s+");
            return f[0] + " " + f[1];
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, like a crash: every session through it drops. */
    public void kill() {
        Proc.killTree(process);
    }

    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Replaces the host key (as a rebuilt server would) and restarts. */
    public void newHostKey() {
        kill();
        try {
            Files.delete(dir.resolve("host_key"));
            Files.delete(dir.resolve("host_key.pub"));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        keygen(dir.resolve("host_key"));
        restart();
    }

    @Override
    public void close() {
        kill();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
