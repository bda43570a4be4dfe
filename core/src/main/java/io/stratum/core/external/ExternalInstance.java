package io.stratum.core.external;

import java.time.Instant;

/**
 * A database Stratum does not run (RDS, DigitalOcean, Exoscale, ...) but connects to, directly or through an SSH tunnel
 * whose local end is {@code tunnelPort} on loopback. Its master credentials live in the secret store
 * ({@code STACK/STAGE/NAME/master}), the SSH private key next to them ({@code .../ssh-key}).
 */
public record ExternalInstance(String name, String engine, String host, int port, String user, String database, String stack,
                               String stage, String tls, SshTarget ssh, int tunnelPort, boolean contractViaTunnel,
                               ExternalStatus status, String lastError, Instant checkedAt, Instant createdAt) {

    public boolean tunneled() {
        return ssh != null;
    }

    /** Where Stratum itself connects: the tunnel's local end, or the provider's endpoint. */
    public String connectHost() {
        return tunneled() ? "127.0.0.1" : host;
    }

    public int connectPort() {
        return tunneled() ? tunnelPort : port;
    }

    /** Where applications are pointed (the provider directly, unless registered with --contract-via-tunnel). */
    public String contractHost() {
        return contractViaTunnel ? connectHost() : host;
    }

    public int contractPort() {
        return contractViaTunnel ? connectPort() : port;
    }

    public ExternalInstance withHealth(ExternalStatus s, String error, Instant at) {
        return new ExternalInstance(name, engine, host, port, user, database, stack, stage, tls, ssh, tunnelPort, contractViaTunnel,
                s, error, at, createdAt);
    }
}
