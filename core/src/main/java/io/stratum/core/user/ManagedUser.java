package io.stratum.core.user;

import java.time.Instant;
import java.util.Locale;

/**
 * A database user Stratum manages for an instance ({@code db user create}): its database, what it may do there, and
 * (Redis) the keys it may touch. Its password lives in the secret store ({@code STACK/STAGE/INSTANCE/users/NAME}); the
 * engine only ever receives a hash of it.
 */
public record ManagedUser(String instance, String name, String database, Access access, String keyPattern, Instant createdAt) {

    /** What a managed user may do in its database (in Redis: with its keys). */
    public enum Access {
        /** Read tables (Redis: read commands). */
        READ,
        /** Read and change rows (Redis: read and write commands). */
        WRITE,
        /** Everything in the database: create, alter and drop objects too. */
        OWNER;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Access parse(String wire) {
            for (Access a : values()) {
                if (a.wireName().equals(wire)) return a;
            }
            return null;
        }
    }
}
