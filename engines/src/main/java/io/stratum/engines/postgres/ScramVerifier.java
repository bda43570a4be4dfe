package io.stratum.engines.postgres;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.StringPreparation;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802/7677), computed with OnGres' SCRAM library
 * (the implementation pgjdbc itself uses) and PostgreSQL's own string preparation. Stratum sends the verifier, never
 * the password, so the plaintext cannot reach the server's logs.
 */
final class ScramVerifier {
    private static final int ITERATIONS = 4096;
    private static final ScramMechanism SHA_256 = ScramMechanism.SCRAM_SHA_256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ScramVerifier() {}

    static String of(String password) {
        return of(password, ScramFunctions.salt(16, RANDOM), ITERATIONS);
    }

    static String of(String password, byte[] salt, int iterations) {
        byte[] salted = ScramFunctions.saltedPassword(SHA_256, StringPreparation.POSTGRESQL_PREPARATION, password.toCharArray(), salt,
                iterations);
        byte[] storedKey = ScramFunctions.storedKey(SHA_256, ScramFunctions.clientKey(SHA_256, salted));
        byte[] serverKey = ScramFunctions.serverKey(SHA_256, salted);
        Base64.Encoder b64 = Base64.getEncoder();
        return "SCRAM-SHA-256$" + iterations + ":" + b64.encodeToString(salt) + "$" + b64.encodeToString(storedKey) + ":"
                + b64.encodeToString(serverKey);
    }
}
