package io.stratum.core.port;

/**
 * Seals small secrets (instance passwords) under the master key. {@code context} is bound as associated data, so a
 * sealed value moved to another record does not open.
 */
public interface SecretCipher {
    String seal(String plaintext, String context);

    String open(String sealed, String context);
}
