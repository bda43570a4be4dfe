package io.stratum.server.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/** The 256-bit master key in STRATUM_HOME/master.key (0600), created on first start. */
public final class MasterKey {
    private final SecretKey key;

    private MasterKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
    }

    public static MasterKey loadOrCreate(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] raw = new byte[32];
                new SecureRandom().nextBytes(raw);
                SecureFiles.writePrivate(file, (Base64.getEncoder().encodeToString(raw) + "\n").getBytes(StandardCharsets.US_ASCII));
            }
            byte[] raw = Base64.getDecoder().decode(Files.readString(file, StandardCharsets.US_ASCII).trim());
            if (raw.length != 32) {
                throw new IllegalStateException(file + " does not hold a 256-bit key (base64); restore it from your backup");
            }
            return new MasterKey(raw);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read master key " + file, e);
        }
    }

    /** A fresh random key (not yet on disk). */
    public static MasterKey generate() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return new MasterKey(raw);
    }

    /** Writes this key to {@code file} (0600, atomically). */
    public void writeTo(Path file) {
        SecureFiles.writePrivate(file, (Base64.getEncoder().encodeToString(key.getEncoded()) + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    public SecretKey secretKey() {
        return key;
    }

    @Override
    public String toString() {
        return "MasterKey[redacted]";
    }
}
