package io.stratum.core.external;

import java.time.Instant;

/**
 * A database Stratum does not run (RDS, DigitalOcean, Exoscale, ...) but connects to, directly or through an SSH tunnel
 * whose local end is {@code tunnelPort} on loopback. Its master credentials live in the secret store
 * ({@code STACK/STAGE/NAME/master}), the SSH private key next to them ({@code .../ssh-key}).
 */
public record ExternalInstance(String name, String engine, String host, int port, String user, String database, String stack,
                               String stage, String tls, SshTarget ssh, int tunnelPort, boolean contractViaTunnel,
                               ExternalStatus status, String lastError, Instant checkedAt, Instant createdAt, String caPem) {

    /** TLS off. */
    public static final String TLS_OFF = "off";
    /** TLS, and the server's certificate checked (verify-full) against {@code caPem}, or the system's CAs when none was given. */
    public static final String TLS_REQUIRE = "require";
    /** TLS without checking the certificate: for providers whose certificate cannot be verified, named as such. */
    public static final String TLS_ENCRYPT_ONLY = "encrypt-only";

    /**
     * The TLS mode the engines' connections use, in the {@code tls} setting of an instance spec: {@code verify-full}
     * (encrypted and checked), {@code require} (encrypted only) or {@code off}.
     */
    public String connectionTls() {
        return switch (tls) {
            case TLS_REQUIRE -> "verify-full";
            case TLS_ENCRYPT_ONLY -> "require";
            default -> "off";
        };
    }

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
                s, error, at, createdAt, caPem);
    }
}
