package io.stratum.engines.postgres;

import io.stratum.core.network.Cidr;
import java.util.List;

/**
 * pg_hba.conf rendered from an instance's admitted networks (pure): Stratum's admin by peer auth on the instance's own
 * socket, then one {@code host} (or {@code hostssl} when TLS is required) line per network for the master user and
 * database. Nothing broader: a network not listed gets "no pg_hba.conf entry".
 */
final class PgHba {
    private PgHba() {}

    static String render(String database, String masterUser, List<Cidr> networks, boolean tlsRequired) {
        String type = tlsRequired ? "hostssl" : "host";
        StringBuilder hba = new StringBuilder("# Written by Stratum from the instance's security groups; changes here are overwritten.\n")
                .append("local all ").append(Psql.ADMIN).append(" peer map=stratum\n");
        for (Cidr c : networks) {
            hba.append(type).append(' ').append(database).append(' ').append(masterUser).append(' ').append(c)
                    .append(" scram-sha-256\n");
        }
        return hba.toString();
    }
}
