package io.stratum.core.secret;

import java.time.Instant;

public record SecretVersion(String name, int version, SealedValue sealed, Instant createdAt) {
    /** Associated data binding a ciphertext to its secret and version: moved elsewhere, it does not open. */
    public String aad() {
        return name + "#" + version;
    }
}
