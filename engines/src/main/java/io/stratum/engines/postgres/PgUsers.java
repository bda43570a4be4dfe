package io.stratum.engines.postgres;

import io.stratum.core.user.ManagedUser;
import io.stratum.core.user.ManagedUser.Access;
import io.stratum.core.user.UserCredentials;
import java.util.List;

/**
 * The SQL (a psql script run as Stratum's admin) that makes managed users exist with exactly their access (pure). A
 * user may log in and works in schema {@code public} of its database: {@code read} selects, {@code write} also changes
 * rows, {@code owner} also creates and drops objects. Rights cover the tables that exist and, through default
 * privileges, those the master user or an owner user create later; tables an owner user creates stay usable by the
 * master user. Users never get CREATEDB, CREATEROLE or anything outside their database.
 */
final class PgUsers {
    private PgUsers() {}

    /** Creates or updates every user (role, password hash, database, rights); databases are created for the master user. */
    static String apply(String master, List<UserCredentials> users) {
        StringBuilder sql = new StringBuilder();
        for (UserCredentials c : users) {
            ManagedUser u = c.user();
            String role = ident(u.name());
            String db = ident(u.database());
            sql.append("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ").append(literal(u.name()))
                    .append(") THEN CREATE ROLE ").append(role).append(" LOGIN; END IF; END $$;\n")
                    .append("ALTER ROLE ").append(role).append(" LOGIN NOCREATEDB NOCREATEROLE NOSUPERUSER NOREPLICATION NOBYPASSRLS PASSWORD ")
                    .append(literal(ScramVerifier.of(c.password()))).append(";\n")
                    .append(createDatabase(u.database(), master))
                    .append("REVOKE ALL ON DATABASE ").append(db).append(" FROM ").append(role).append(";\n")
                    .append("GRANT CONNECT, TEMPORARY").append(u.access() == Access.OWNER ? ", CREATE" : "").append(" ON DATABASE ").append(db)
                    .append(" TO ").append(role).append(";\n")
                    .append("\\connect ").append(db).append('\n')
                    .append("REVOKE ALL ON SCHEMA public FROM ").append(role).append(";\n")
                    .append("GRANT USAGE").append(u.access() == Access.OWNER ? ", CREATE" : "").append(" ON SCHEMA public TO ").append(role).append(";\n")
                    .append("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ").append(role).append(";\n")
                    .append("REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ").append(role).append(";\n")
                    .append("GRANT ").append(tables(u.access())).append(" ON ALL TABLES IN SCHEMA public TO ").append(role).append(";\n")
                    .append("GRANT ").append(sequences(u.access())).append(" ON ALL SEQUENCES IN SCHEMA public TO ").append(role).append(";\n");
            for (String creator : creators(master, u.database(), users)) {
                if (creator.equals(u.name())) continue;
                sql.append("ALTER DEFAULT PRIVILEGES FOR ROLE ").append(ident(creator)).append(" IN SCHEMA public GRANT ").append(tables(u.access()))
                        .append(" ON TABLES TO ").append(role).append(";\n")
                        .append("ALTER DEFAULT PRIVILEGES FOR ROLE ").append(ident(creator)).append(" IN SCHEMA public GRANT ")
                        .append(sequences(u.access())).append(" ON SEQUENCES TO ").append(role).append(";\n");
            }
            if (u.access() == Access.OWNER) {
                sql.append("ALTER DEFAULT PRIVILEGES FOR ROLE ").append(role).append(" IN SCHEMA public GRANT ALL ON TABLES TO ").append(ident(master))
                        .append(";\n")
                        .append("ALTER DEFAULT PRIVILEGES FOR ROLE ").append(role).append(" IN SCHEMA public GRANT ALL ON SEQUENCES TO ")
                        .append(ident(master)).append(";\n");
            }
            sql.append("\\connect postgres\n");
        }
        return sql.toString();
    }

    /**
     * Removes a user: it can no longer log in, its sessions end, what it owns in {@code databases} goes to the master
     * user, its rights and default privileges go, then the role.
     */
    static String drop(String master, String user, List<String> databases) {
        StringBuilder sql = new StringBuilder("SET lock_timeout = '10s';\n") // a table the master user holds locked fails it, soon
                .append("SELECT 'ALTER ROLE ").append(ident(user).replace("'", "''"))
                .append(" NOLOGIN' WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ").append(literal(user)).append(") \\gexec\n")
                .append("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ").append(literal(user)).append(";\n");
        for (String db : databases) {
            sql.append("\\connect ").append(ident(db)).append("\nSET lock_timeout = '10s';\n")
                    .append("SELECT 'REASSIGN OWNED BY ").append(ident(user).replace("'", "''")).append(" TO ").append(ident(master).replace("'", "''"))
                    .append("; DROP OWNED BY ").append(ident(user).replace("'", "''")).append("' WHERE EXISTS (SELECT 1 FROM pg_roles WHERE rolname = ")
                    .append(literal(user)).append(") \\gexec\n");
        }
        // a login that was still authenticating when the sessions were ended has had its rights taken since: end it too
        return sql.append("\\connect postgres\nSET lock_timeout = '10s';\nSELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = ")
                .append(literal(user)).append(";\nDROP ROLE IF EXISTS ").append(ident(user)).append(";\n").toString();
    }

    /** Roles whose new tables in {@code database} the users of that database get rights on: the master and owner users. */
    private static List<String> creators(String master, String database, List<UserCredentials> users) {
        List<String> creators = new java.util.ArrayList<>(List.of(master));
        users.stream().map(UserCredentials::user).filter(o -> o.access() == Access.OWNER && database.equals(o.database()))
                .forEach(o -> creators.add(o.name()));
        return creators;
    }

    static String createDatabase(String database, String owner) {
        return "SELECT 'CREATE DATABASE " + ident(database).replace("'", "''") + " OWNER " + ident(owner).replace("'", "''")
                + "' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = " + literal(database) + ") \\gexec\n";
    }

    private static String tables(Access a) {
        return switch (a) {
            case READ -> "SELECT";
            case WRITE -> "SELECT, INSERT, UPDATE, DELETE";
            case OWNER -> "ALL";
        };
    }

    private static String sequences(Access a) {
        return switch (a) {
            case READ -> "SELECT";
            case WRITE -> "USAGE, SELECT, UPDATE";
            case OWNER -> "ALL";
        };
    }

    static String ident(String name) {
        return PostgresProvider.ident(name);
    }

    static String literal(String value) {
        return PostgresProvider.literal(value);
    }
}
