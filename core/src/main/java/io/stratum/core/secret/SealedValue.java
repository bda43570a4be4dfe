package io.stratum.core.secret;

/**
 * A value under envelope encryption: the ciphertext (AES-256-GCM under its own data key), the data key wrapped by the
 * master key, and which master key wrapped it.
 */
public record SealedValue(String keyId, byte[] wrappedKey, byte[] ciphertext) {}
