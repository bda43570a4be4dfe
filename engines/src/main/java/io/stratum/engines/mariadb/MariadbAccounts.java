package io.stratum.engines.mariadb;

import io.stratum.core.network.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The master user as one MariaDB account per admitted network ({@code 'app'@'10.0.0.0/255.0.0.0'}), all with the same
 * password hash and grants (pure rendering). MariaDB's host masks are IPv4 only: an IPv6 network wider than one
 * address cannot be written as an account host and is left out (refused by the engine; see {@link #unexpressible}).
 */
final class MariadbAccounts {
    private MariadbAccounts() {}

    /** Account hosts for {@code networks}: an address for /32 and /128, {@code net/mask} for wider IPv4 networks. */
    static List<String> hosts(List<Cidr> networks) {
        Set<String> hosts = new LinkedHashSet<>();
        for (Cidr c : networks) {
            if (!c.ipv6() && c.prefix() == 32 || c.ipv6() && c.prefix() == 128) hosts.add(c.network());
            else if (!c.ipv6()) hosts.add(c.network() + "/" + mask(c.prefix()));
        }
        return List.copyOf(hosts);
    }

    /** Networks the engine layer cannot express (IPv6 wider than one address). */
    static List<Cidr> unexpressible(List<Cidr> networks) {
        return networks.stream().filter(c -> c.ipv6() && c.prefix() < 128).toList();
    }

    static String mask(int prefix) {
        long bits = prefix == 0 ? 0 : (0xFFFFFFFFL << (32 - prefix)) & 0xFFFFFFFFL;
        try {
            byte[] b = {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8), (byte) bits};
            return InetAddress.getByAddress(b).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Privileges on one database ({@code ALL PRIVILEGES}, {@code SELECT}, ...), never global ones. */
    record Grant(String privileges, String database) {}

    /**
     * One admin batch: drops the user's accounts on hosts no longer admitted (first, so the set never grows wider than
     * asked), then creates or updates one account per host with the password hash, revokes everything it had and grants
     * exactly {@code grants} (database-level, never WITH GRANT OPTION). Account statements commit implicitly in MariaDB;
     * the batch runs in one session and stops at the first error (re-running it converges).
     */
    static String sync(String user, String passwordHash, List<String> hosts, List<Grant> grants) {
        String keep = hosts.isEmpty() ? "''" : hosts.stream().map(MariadbAccounts::literal).collect(Collectors.joining(", "));
        StringBuilder sql = new StringBuilder("DELIMITER //\n")
                .append("BEGIN NOT ATOMIC\n  FOR r IN (SELECT Host FROM mysql.user WHERE User = ").append(literal(user))
                .append(" AND Host NOT IN (").append(keep).append(")) DO\n")
                .append("    EXECUTE IMMEDIATE CONCAT('DROP USER ', QUOTE(").append(literal(user)).append("), '@', QUOTE(r.Host));\n")
                .append("  END FOR;\nEND //\nDELIMITER ;\n");
        List<String> statements = new ArrayList<>();
        for (String host : hosts) {
            String account = literal(user) + "@" + literal(host);
            statements.add("CREATE USER IF NOT EXISTS " + account + " IDENTIFIED BY PASSWORD '" + passwordHash + "';");
            statements.add("ALTER USER " + account + " IDENTIFIED BY PASSWORD '" + passwordHash + "';");
            statements.add("REVOKE ALL PRIVILEGES, GRANT OPTION FROM " + account + ";");
            for (Grant g : grants) statements.add("GRANT " + g.privileges() + " ON " + grantDatabase(g.database()) + ".* TO " + account + ";");
        }
        return sql.append(String.join("\n", statements)).append('\n').toString();
    }

    /**
     * Takes from every account but Stratum's admin (and MariaDB's own {@code mariadb.sys}) what only the admin may have:
     * global privileges, GRANT OPTION anywhere, any privilege on the {@code mysql} schema (by a pattern too) or on its
     * tables. (PROXY needs no such care: only an account holding it with GRANT OPTION could pass it on, and no tenant
     * account ever held it.) Accounts a tenant made while the master user could still create them keep their rights on
     * their databases, nothing more.
     */
    static String tenantLimits(String adminUser) {
        String others = "User NOT IN (" + literal(adminUser) + ", 'mariadb.sys')";
        String who = "CONCAT(QUOTE(r.User), IF(r.Host = '', '', CONCAT('@', QUOTE(r.Host))))";
        String db = "CONCAT('`', REPLACE(r.Db, '`', '``'), '`')";
        String table = "CONCAT(" + db + ", '.`', REPLACE(r.Table_name, '`', '``'), '`')";
        return "DELIMITER //\nBEGIN NOT ATOMIC\n"
                + "  FOR r IN (SELECT User, Host FROM mysql.global_priv WHERE " + others + ") DO\n"
                + "    EXECUTE IMMEDIATE CONCAT('REVOKE ALL PRIVILEGES ON *.* FROM ', " + who + ");\n"
                + "    EXECUTE IMMEDIATE CONCAT('REVOKE GRANT OPTION ON *.* FROM ', " + who + ");\n"
                + "  END FOR;\n"
                + "  FOR r IN (SELECT User, Host, Db, Grant_priv FROM mysql.db WHERE " + others + " AND ('mysql' LIKE Db OR Grant_priv = 'Y')) DO\n"
                + "    IF 'mysql' LIKE r.Db THEN EXECUTE IMMEDIATE CONCAT('REVOKE ALL PRIVILEGES ON ', " + db + ", '.* FROM ', " + who + "); END IF;\n"
                + "    IF r.Grant_priv = 'Y' THEN EXECUTE IMMEDIATE CONCAT('REVOKE GRANT OPTION ON ', " + db + ", '.* FROM ', " + who + "); END IF;\n"
                + "  END FOR;\n"
                + "  FOR r IN (SELECT User, Host, Db, Table_name, Table_priv FROM mysql.tables_priv WHERE " + others + " AND 'mysql' LIKE Db) DO\n"
                + "    IF r.Table_priv NOT IN ('', 'Grant') THEN EXECUTE IMMEDIATE CONCAT('REVOKE ALL PRIVILEGES ON ', " + table + ", ' FROM ', "
                + who + "); END IF;\n"
                + "    IF FIND_IN_SET('Grant', r.Table_priv) THEN EXECUTE IMMEDIATE CONCAT('REVOKE GRANT OPTION ON ', " + table + ", ' FROM ', "
                + who + "); END IF;\n"
                + "  END FOR;\n"

                + "END //\nDELIMITER ;\n";
    }

    static String identifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * A database in a GRANT: in database-level grants {@code _} and {@code %} are wildcards ({@code mysq_} would cover
     * {@code mysql}), so they are escaped and the grant names exactly this database.
     */
    static String grantDatabase(String name) {
        return identifier(name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%"));
    }

    static String literal(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "''") + "'";
    }
}
