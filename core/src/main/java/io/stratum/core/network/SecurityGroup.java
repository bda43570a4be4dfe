package io.stratum.core.network;

import java.time.Instant;
import java.util.List;

/** A named set of ingress rules, as an RDS/VPC security group. */
public record SecurityGroup(String name, String description, List<Rule> rules, Instant createdAt) {
    public SecurityGroup {
        rules = List.copyOf(rules);
    }

    /** Admits {@code cidr}; {@code port} null means "the instance's own port". */
    public record Rule(Cidr cidr, Integer port) {
        @Override
        public String toString() {
            return cidr + (port == null ? "" : " port " + port);
        }
    }
}
