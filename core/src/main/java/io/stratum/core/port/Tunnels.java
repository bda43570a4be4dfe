package io.stratum.core.port;

import io.stratum.core.external.SshTarget;
import java.util.function.BiConsumer;

/**
 * SSH tunnels kept up by the control plane: a local forward on loopback through an SSH server whose host key is pinned,
 * with keepalives and reconnects (each change reported as {@code (action, detail)}).
 */
public interface Tunnels {
    /**
     * Opens (or reopens) the tunnel {@code name} to {@code remoteHost:remotePort} as seen from the SSH server, on local port
     * {@code localPort} (0: any free port); returns the local port. Throws with a clear message when the host key differs
     * from {@code target.hostKey()} or the login fails. A null host key trusts the offered one (see {@link #hostKeyOf}).
     */
    int open(String name, SshTarget target, String privateKey, String remoteHost, int remotePort, int localPort,
             BiConsumer<String, String> events);

    /** The host key the SSH server offers (OpenSSH public key line), for trust on first use. */
    String hostKeyOf(SshTarget target, String privateKey);

    boolean up(String name);

    void close(String name);
}
