package io.stratum.core.external;

/**
 * The SSH server an external database is reached through, and its pinned host key (an OpenSSH public key line, e.g.
 * {@code ssh-ed25519 AAAA...}); the private key for {@code user} lives in the secret store.
 */
public record SshTarget(String host, int port, String user, String hostKey) {
    public SshTarget withHostKey(String key) {
        return new SshTarget(host, port, user, key);
    }
}
