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

    /** Replicas' connections are marked by their socket's OS user on the way out and admitted by the mark alone. */
    @Test
    void aSourcesReplicasAreAdmittedByTheirOsUserOnly() {
        String nft = NftRuleset.render("stratum", List.of(new PortIngress("127.0.0.1", 15000, "orders",
                List.of(Cidr.parse("cidr", "127.0.0.2")), List.of("st-orders-ro-1a2b")), new PortIngress("127.0.0.1", 15001, "cache", List.of())));
        assertThat(nft).contains("\tchain replication {\n\t\ttype filter hook output priority filter; policy accept;\n"
                + "\t\tip daddr 127.0.0.1 tcp dport 15000 meta skuid \"st-orders-ro-1a2b\" meta mark set " + NftRuleset.REPLICA_MARK
                + " comment \"orders\"\n");
        assertThat(nft).contains("ip daddr 127.0.0.1 tcp dport 15000 meta mark " + NftRuleset.REPLICA_MARK + " accept comment \"orders\"")
                .doesNotContain("dport 15001 meta");
        assertThat(nft.indexOf("15000 meta mark " + NftRuleset.REPLICA_MARK + " accept")).isLessThan(nft.indexOf("15000 drop"));
        assertThat(NftRuleset.render("stratum", List.of(new PortIngress("127.0.0.1", 15001, "cache", List.of()))))
                .doesNotContain("chain replication");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NftRuleset.render("stratum", List.of(new PortIngress("127.0.0.1", 15000,
                "orders", List.of(), List.of("x\" accept; flush ruleset #"))))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tableNamesAreSimpleWords() {
        assertThat(NftRuleset.TABLE_NAME.matcher("stratum").matches()).isTrue();
        assertThat(NftRuleset.TABLE_NAME.matcher("filter; flush ruleset").matches()).isFalse();
    }
}
