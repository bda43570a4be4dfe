package io.stratum.core.port;

import io.stratum.core.secret.SealedValue;

/** Envelope encryption under the master key (implemented by the server, which holds the key). */
public interface Envelope {
    SealedValue seal(byte[] plaintext, String aad);

    /** Opens a value; a wrong key, tampered bytes or wrong associated data fail the integrity check. */
    byte[] open(SealedValue value, String aad);

    /** The same plaintext key wrapped under the current master key (for master-key rotation). */
    SealedValue rewrap(SealedValue value, String aad);

    /**
     * Runs {@code work}, which seals values and stores them, so that a master-key rotation happens entirely before or
     * entirely after it: a value is never sealed under a key that a rotation then forgets without rewrapping it.
     */
    default <T> T sealing(java.util.function.Supplier<T> work) {
        return work.get();
    }
}
