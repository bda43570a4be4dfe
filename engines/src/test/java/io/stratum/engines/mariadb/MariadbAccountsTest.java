package io.stratum.engines.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.network.Cidr;
import java.util.List;
import org.junit.jupiter.api.Test;

class MariadbAccountsTest {
    private static List<Cidr> cidrs(String... s) {
        return java.util.Arrays.stream(s).map(c -> Cidr.parse("cidr", c)).toList();
    }

    @Test
    void accountHostsUseAddressesAndIpv4Masks() {
        assertThat(MariadbAccounts.hosts(cidrs("127.0.0.2/32", "10.0.0.0/8", "192.168.1.0/24", "::1", "0.0.0.0/0")))
                .containsExactly("127.0.0.2", "10.0.0.0/255.0.0.0", "192.168.1.0/255.255.255.0", "::1", "0.0.0.0/0.0.0.0");
        assertThat(MariadbAccounts.mask(20)).isEqualTo("255.255.240.0");
    }

    @Test
    void ipv6NetworksWiderThanOneAddressAreLeftOutNotWidened() {
        assertThat(MariadbAccounts.hosts(cidrs("2001:db8::/32"))).isEmpty();
        assertThat(MariadbAccounts.unexpressible(cidrs("2001:db8::/32", "::1", "10.0.0.0/8"))).containsExactly(cidrs("2001:db8::/32").get(0));
    }

    @Test
    void syncDropsAccountsOnOtherHostsBeforeCreatingTheAdmittedOnes() {
        List<MariadbAccounts.Grant> grants = List.of(new MariadbAccounts.Grant("SELECT", "app"), new MariadbAccounts.Grant("ALL PRIVILEGES", "x`y"));
        String sql = MariadbAccounts.sync("app", "*HASH", List.of("127.0.0.2", "10.0.0.0/255.0.0.0"), grants);
        assertThat(sql).contains("WHERE User = 'app' AND Host NOT IN ('127.0.0.2', '10.0.0.0/255.0.0.0')")
                .contains("CREATE USER IF NOT EXISTS 'app'@'10.0.0.0/255.0.0.0' IDENTIFIED BY PASSWORD '*HASH';")
                .contains("REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'app'@'127.0.0.2';")
                .contains("GRANT SELECT ON `app`.* TO 'app'@'127.0.0.2';")
                .contains("GRANT ALL PRIVILEGES ON `x``y`.* TO 'app'@'127.0.0.2';")
                .doesNotContain("*.*").doesNotContain("WITH GRANT OPTION");
        assertThat(sql.indexOf("DROP USER")).isLessThan(sql.indexOf("CREATE USER"));
        assertThat(sql.indexOf("REVOKE")).isLessThan(sql.indexOf("GRANT SELECT"));
        assertThat(MariadbAccounts.sync("app", "*HASH", List.of(), grants)).contains("Host NOT IN ('')").doesNotContain("CREATE USER");
    }
}
