package io.stratum.engines.postgres;

import io.stratum.core.network.Cidr;
import java.util.List;

/**
 * pg_hba.conf rendered from an instance's logins and admitted networks (pure): Stratum's admin by peer auth on the
 * instance's own socket, then one {@code host} (or {@code hostssl} when TLS is required) line per login and network for
 * exactly the databases that login may use. Nothing broader: any other user, database or network gets "no pg_hba.conf
 * entry".
 */
final class PgHba {
    private PgHba() {}

    /** A role that may log in over TCP, and the databases it may connect to. */
    record Login(String role, List<String> databases) {}

    /** {@code socketLogin} may also log in on the instance's own socket, by password (restores load as the master user). */
    static String render(Login socketLogin, List<Login> logins, List<Cidr> networks, boolean tlsRequired) {
        String type = tlsRequired ? "hostssl" : "host";
        StringBuilder hba = new StringBuilder("# Written by Stratum from the instance's users and security groups; changes here are overwritten.\n")
                .append("local all ").append(Psql.ADMIN).append(" peer map=stratum\n")
                .append("local ").append(String.join(",", socketLogin.databases())).append(' ').append(socketLogin.role())
                .append(" scram-sha-256\n");
        // read replicas on this host stream from here as the replication login (its password is Stratum's); the kernel
        // table admits only their engines' OS users from addresses the security groups do not
        hba.append(type).append(" replication ").append(io.stratum.core.engine.ReplicationLink.USER).append(" samehost scram-sha-256\n");
        for (Login login : logins) {
            for (Cidr c : networks) {
                hba.append(type).append(' ').append(String.join(",", login.databases())).append(' ').append(login.role()).append(' ')
                        .append(c).append(" scram-sha-256\n");
            }
        }
        return hba.toString();
    }
}
