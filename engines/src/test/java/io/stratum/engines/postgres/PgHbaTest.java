package io.stratum.engines.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.network.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgHbaTest {
    static final PgHba.Login MASTER = new PgHba.Login("app", List.of("app"));
    /** Read replicas on this host stream as the replication login, from this host's own addresses only. */
    static final String REPLICATION = "host replication stratum_replicator samehost scram-sha-256";

    @Test
    void oneLinePerNetworkForTheMasterUserAndDatabaseNothingBroader() {
        String hba = PgHba.render(MASTER, List.of(MASTER), List.of(Cidr.parse("cidr", "127.0.0.2"), Cidr.parse("cidr", "fd00::/8")), false);
        List<String> rules = hba.lines().filter(l -> !l.startsWith("#")).toList();
        assertThat(rules).containsExactly("local all stratum_admin peer map=stratum", "local app app scram-sha-256", REPLICATION,
                "host app app 127.0.0.2/32 scram-sha-256", "host app app fd00::/8 scram-sha-256");
        assertThat(hba).doesNotContain("0.0.0.0/0").doesNotContain("::/0").doesNotContain("trust").doesNotContain(" all app");
    }

    @Test
    void managedUsersGetTheirOwnDatabaseTheMasterUserEveryOne() {
        PgHba.Login master = new PgHba.Login("app", List.of("app", "reports"));
        String hba = PgHba.render(master, List.of(master, new PgHba.Login("reader", List.of("reports"))),
                List.of(Cidr.parse("cidr", "10.0.0.0/8")), false);
        assertThat(hba.lines().filter(l -> !l.startsWith("#")).toList()).containsExactly("local all stratum_admin peer map=stratum",
                "local app,reports app scram-sha-256", REPLICATION, "host app,reports app 10.0.0.0/8 scram-sha-256",
                "host reports reader 10.0.0.0/8 scram-sha-256");
    }

    @Test
    void requiredTlsMeansHostsslOnlyAndNoNetworksMeansNoTcpAtAll() {
        assertThat(PgHba.render(MASTER, List.of(MASTER), List.of(Cidr.parse("cidr", "10.0.0.0/8")), true))
                .contains("hostssl app app 10.0.0.0/8 scram-sha-256").contains("\nhostssl replication stratum_replicator samehost")
                .doesNotContain("\nhost ");
        // no tenant login over TCP at all; only read replicas on this host, as the replication login
        assertThat(PgHba.render(MASTER, List.of(MASTER), List.of(), false).lines().filter(l -> !l.startsWith("#")))
                .containsExactly("local all stratum_admin peer map=stratum", "local app app scram-sha-256", REPLICATION);
    }
}
