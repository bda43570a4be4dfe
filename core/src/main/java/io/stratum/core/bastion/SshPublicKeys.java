package io.stratum.core.bastion;

import io.stratum.core.error.ValidationException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;

/** OpenSSH public key lines ({@code ssh-ed25519 AAAA... comment}): validation and SHA-256 fingerprints (pure). */
public final class SshPublicKeys {
    public static final List<String> TYPES = List.of("ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384",
            "ecdsa-sha2-nistp521", "ssh-rsa");

    private SshPublicKeys() {}

    /** A parsed key line: its type, the base64 blob and the comment (may be empty). */
    public record Parsed(String type, String blob, String comment) {
        public String line() {
            return type + " " + blob;
        }

        public String fingerprint() {
            return SshPublicKeys.fingerprint(Base64.getDecoder().decode(blob));
        }
    }

    public static Parsed parse(String field, String line) {
        if (line == null || line.isBlank()) {
            throw ValidationException.of(field, "is required: an OpenSSH public key line such as 'ssh-ed25519 AAAA... me@laptop'");
        }
        if (line.contains("PRIVATE KEY")) {
            throw ValidationException.of(field, "is a private key: give the public key (the .pub file); the private key never "
                    + "leaves your machine");
        }
        String[] parts = line.strip().split("\\s+", 3);
        if (parts.length < 2 || !TYPES.contains(parts[0])) {
            throw ValidationException.of(field, "is not an OpenSSH public key of a supported type (" + String.join(", ", TYPES) + ")");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw ValidationException.of(field, "has a key blob that is not base64");
        }
        if (!parts[0].equals(firstString(blob))) {
            throw ValidationException.of(field, "says " + parts[0] + " but its blob holds another key type");
        }
        if (parts[0].equals("ssh-rsa") && blob.length < 390) {
            throw ValidationException.of(field, "is an RSA key shorter than 3072 bits: use ed25519 (ssh-keygen -t ed25519)");
        }
        return new Parsed(parts[0], parts[1], parts.length > 2 ? parts[2].strip() : "");
    }

    /** OpenSSH's form: {@code SHA256:} + unpadded base64 of SHA-256(blob). */
    public static String fingerprint(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String firstString(byte[] blob) {
        if (blob.length < 4) return null;
        ByteBuffer b = ByteBuffer.wrap(blob);
        int len = b.getInt();
        if (len < 0 || len > blob.length - 4) return null;
        return new String(blob, 4, len, StandardCharsets.US_ASCII);
    }
}
