package io.stratum.core.engine;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Database names of the SQL engines: lowercase identifiers, not a system database nor a word pg_hba.conf reads as a keyword. */
public final class SqlDatabaseNames {
    private static final Pattern SQL_NAME = Pattern.compile("^[a-z_][a-z0-9_]{0,62}$");
    /** System databases of the engines and the words pg_hba.conf reads as keywords in its database column. */
    public static final Set<String> RESERVED = Set.of("postgres", "template0", "template1", "mysql", "sys", "performance_schema",
            "information_schema", "all", "replication", "sameuser", "samerole", "samegroup");

    private SqlDatabaseNames() {}

    public static Optional<String> problem(String database) {
        if (database == null || !SQL_NAME.matcher(database).matches()) {
            return Optional.of("'" + database + "' is invalid: use lowercase letters, digits and _ (e.g. app)");
        }
        if (RESERVED.contains(database)) {
            return Optional.of("'" + database + "' is reserved (a system database or a pg_hba keyword): choose another, e.g. app");
        }
        return Optional.empty();
    }
}
