package io.stratum.core.home;

import java.nio.file.Path;
import java.util.Map;

/** The layout of STRATUM_HOME, shared by the server (which writes it) and the CLI (which reads it). */
public record StratumHome(Path root) {

    /** {@code --home}, else {@code STRATUM_HOME}, else /var/lib/stratum for root, else ~/.stratum. */
    public static StratumHome resolve(String explicit, Map<String, String> env) {
        if (explicit != null && !explicit.isBlank()) return new StratumHome(Path.of(explicit).toAbsolutePath());
        String fromEnv = env.get("STRATUM_HOME");
        if (fromEnv != null && !fromEnv.isBlank()) return new StratumHome(Path.of(fromEnv).toAbsolutePath());
        return new StratumHome(defaultRoot());
    }

    public static Path defaultRoot() {
        if ("root".equals(System.getProperty("user.name"))) return Path.of("/var/lib/stratum");
        return Path.of(System.getProperty("user.home"), ".stratum");
    }

    public Path masterKey() { return root.resolve("master.key"); }

    public Path adminToken() { return root.resolve("admin.token"); }

    public Path serverJson() { return root.resolve("server.json"); }

    /** The server's private runtime directory (0700): only the server's own user reaches what is inside. */
    public Path runDir() { return root.resolve("run"); }

    /**
     * The API's Unix socket in {@link #runDir()}: plain HTTP for a CLI on this host running as the server's user (the
     * directory's permission is the access control, as for admin.token; the bearer token is still required).
     */
    public Path apiSocket() { return runDir().resolve("api.sock"); }

    public Path caDir() { return root.resolve("ca"); }

    public Path caCertificate() { return caDir().resolve("ca.pem"); }

    public Path caKey() { return caDir().resolve("ca.key"); }

    public Path tlsDir() { return root.resolve("tls"); }

    public Path logDir() { return root.resolve("log"); }

    public Path instancesDir() { return root.resolve("instances"); }

    /** The bastion's SSH host key (kept across restarts so clients' known_hosts stay valid). */
    public Path bastionHostKey() { return root.resolve("bastion").resolve("host_key"); }

    public Path defaultStoreFile() { return root.resolve("stratum.db"); }
}
