package io.stratum.core.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class IngressPolicyTest {
    private static InstanceSpec spec(List<String> groups) {
        return InstanceSpec.builder("orders", "postgres").version("15").instanceClass(InstanceClass.SMALL).storage(5, 5).port(15001)
                .database("app").masterUser("app").securityGroups(groups).backupPolicy(7, "03:00-03:30").tls("prefer").build();
    }

    private static SecurityGroup group(String name, SecurityGroup.Rule... rules) {
        return new SecurityGroup(name, "", List.of(rules), Instant.EPOCH);
    }

    private static SecurityGroup.Rule rule(String cidr, Integer port) {
        return new SecurityGroup.Rule(Cidr.parse("cidr", cidr), port);
    }

    @Test
    void withoutGroupsOnlyLoopbackIsAdmitted() {
        assertThat(IngressPolicy.networks(IngressPolicy.effective(spec(List.of()), Map.of(), "127.0.0.1")))
                .extracting(Cidr::toString).containsExactly("127.0.0.0/8", "::1/128");
    }

    @Test
    void withGroupsExactlyTheirRulesForThisPortPlusHealthChecks() {
        var web = group("web", rule("127.0.0.2/32", null), rule("10.0.0.0/8", 15001), rule("192.168.0.0/16", 5432));
        var ops = group("ops", rule("127.0.0.2", null), rule("2001:db8::/32", null));
        var rules = IngressPolicy.effective(spec(List.of("web", "ops")), Map.of("web", web, "ops", ops), "127.0.0.1");
        assertThat(rules).extracting(r -> r.cidr() + " " + r.reason()).containsExactly(
                "127.0.0.2/32 security group web", "10.0.0.0/8 security group web", "2001:db8::/32 security group ops",
                "127.0.0.254/32 stratum health checks");
        assertThat(IngressPolicy.networks(rules)).extracting(Cidr::toString).doesNotContain("192.168.0.0/16", "127.0.0.0/8");
    }

    @Test
    void anEmptyGroupAdmitsOnlyTheHealthChecks() {
        assertThat(IngressPolicy.networks(IngressPolicy.effective(spec(List.of("web")), Map.of("web", group("web")), "::1")))
                .extracting(Cidr::toString).containsExactly("::1/128");
    }
}
