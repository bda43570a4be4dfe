package io.stratum.engines.postgres;

import org.postgresql.util.PasswordUtil;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677), computed by pgjdbc's
 * {@link PasswordUtil} (the driver's own SCRAM implementation and PostgreSQL's string preparation). Stratum sends the
 * verifier, never the password, so the plaintext cannot reach the server's logs.
 */
final class ScramVerifier {
    private ScramVerifier() {}

    static String of(String password) {
        return PasswordUtil.encodeScramSha256(password.toCharArray());
    }

    static String of(String password, byte[] salt, int iterations) {
        return PasswordUtil.encodeScramSha256(password.toCharArray(), iterations, salt);
    }
}
