package io.stratum.core.bastion;

import java.time.Instant;

/**
 * A public key allowed to open tunnels through the bastion into one stack's instances. Only the public half is kept;
 * the SSH user name is the stack's name.
 */
public record BastionKey(String id, String stack, String type, String fingerprint, String publicKey, String comment,
                         Instant createdAt, Instant expiresAt, Instant revokedAt) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || now.isBefore(expiresAt));
    }

    public BastionKey revoked(Instant at) {
        return new BastionKey(id, stack, type, fingerprint, publicKey, comment, createdAt, expiresAt, at);
    }

    /** {@code active}, {@code expired} or {@code revoked}. */
    public String state(Instant now) {
        return revokedAt != null ? "revoked" : usableAt(now) ? "active" : "expired";
    }
}
