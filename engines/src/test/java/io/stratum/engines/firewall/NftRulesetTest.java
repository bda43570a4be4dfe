package io.stratum.engines.firewall;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.network.Cidr;
import io.stratum.core.network.PortIngress;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftRulesetTest {
    @Test
    void replacesOnlyItsOwnTableInOneScriptAndDropsWhatIsNotAdmitted() {
        String nft = NftRuleset.render("stratum", List.of(
                new PortIngress("0.0.0.0", 5432, "orders", List.of(Cidr.parse("cidr", "10.1.2.3/8"), Cidr.parse("cidr", "2001:db8::/32"))),
                new PortIngress("0.0.0.0", 6379, "cache", List.of())));
        assertThat(nft).startsWith("table inet stratum {}\ndelete table inet stratum\ntable inet stratum {\n");
        assertThat(nft.lines().filter(l -> l.startsWith("table ") || l.startsWith("delete ")))
                .allMatch(l -> l.contains(" inet stratum"));
        assertThat(nft).contains("policy accept;").doesNotContain("ct state")
                .contains("tcp dport 5432 ip saddr 10.0.0.0/8 accept comment \"orders\"")
                .contains("tcp dport 5432 ip6 saddr 2001:db8::/32 accept comment \"orders\"")
                .contains("tcp dport 5432 drop comment \"orders\"")
                .contains("tcp dport 6379 drop comment \"cache\"")
                .doesNotContain("tcp dport 6379 ip");
        assertThat(nft.indexOf("5432 ip6 saddr")).as("accepts come before the port's drop").isLessThan(nft.indexOf("5432 drop"));
    }

    @Test
    void rulesMatchTheInstancesOwnAddressSoOtherServicesOnThatPortAreUntouched() {
        String nft = NftRuleset.render("stratum", List.of(new PortIngress("127.0.0.1", 15000, "orders",
                List.of(Cidr.parse("cidr", "127.0.0.2"), Cidr.parse("cidr", "::1")))));
        assertThat(nft).contains("ip daddr 127.0.0.1 tcp dport 15000 ip saddr 127.0.0.2/32 accept comment \"orders\"")
                .contains("ip daddr 127.0.0.1 tcp dport 15000 drop comment \"orders\"")
                .doesNotContain("ip6 saddr ::1").doesNotContain("\t\ttcp dport 15000");
    }

    @Test
    void tableNamesAreSimpleWords() {
        assertThat(NftRuleset.TABLE_NAME.matcher("stratum").matches()).isTrue();
        assertThat(NftRuleset.TABLE_NAME.matcher("filter; flush ruleset").matches()).isFalse();
    }
}
