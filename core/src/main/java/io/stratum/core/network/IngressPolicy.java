package io.stratum.core.network;

import io.stratum.core.instance.InstanceSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which source networks may reach an instance (pure). Without security groups: loopback only, like a database in a
 * private VPC subnet. With groups: exactly their rules for the instance's port, plus the control plane's health-check
 * address, from which Stratum verifies the engine over TCP. Both enforcement layers are rendered from this one list.
 */
public final class IngressPolicy {
    /**
     * Stratum's own TCP checks come from this loopback address, so that admitting them does not admit every local client
     * on 127.0.0.1 (IPv6-only hosts use ::1).
     */
    public static final String HEALTH_CHECK_V4 = "127.0.0.254";
    public static final String HEALTH_CHECK_V6 = "::1";
    public static final String DEFAULT_REASON = "default: loopback only (no security group attached)";
    public static final String HEALTH_CHECK_REASON = "stratum health checks";

    private IngressPolicy() {}

    /**
     * The source address of Stratum's checks of an instance reached at {@code connectHost}: a dedicated loopback address
     * for loopback endpoints; otherwise the endpoint itself, a local address the kernel uses as the source.
     */
    public static String healthCheckSource(String connectHost) {
        if (!loopback(connectHost)) return connectHost;
        return connectHost.contains(":") ? HEALTH_CHECK_V6 : HEALTH_CHECK_V4;
    }

    public static boolean loopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1");
    }

    /**
     * The effective rules of {@code spec} given the groups by name (missing groups admit nothing). Rules whose port is
     * not the instance's port do not apply to it. Each network appears once, with the first reason that admits it.
     */
    public static List<IngressRule> effective(InstanceSpec spec, Map<String, SecurityGroup> groups, String connectHost) {
        Map<Cidr, String> rules = new LinkedHashMap<>();
        if (spec.securityGroups().isEmpty()) {
            rules.put(Cidr.parse("cidr", "127.0.0.0/8"), DEFAULT_REASON);
            rules.put(Cidr.parse("cidr", "::1/128"), DEFAULT_REASON);
            return toList(rules);
        }
        for (String name : spec.securityGroups()) {
            SecurityGroup g = groups.get(name);
            if (g == null) continue;
            for (SecurityGroup.Rule r : g.rules()) {
                if (r.port() == null || r.port() == spec.port()) rules.putIfAbsent(r.cidr(), "security group " + name);
            }
        }
        rules.putIfAbsent(Cidr.parse("cidr", healthCheckSource(connectHost)), HEALTH_CHECK_REASON);
        return toList(rules);
    }

    public static List<Cidr> networks(List<IngressRule> rules) {
        return rules.stream().map(IngressRule::cidr).toList();
    }

    private static List<IngressRule> toList(Map<Cidr, String> rules) {
        List<IngressRule> out = new ArrayList<>();
        rules.forEach((c, why) -> out.add(new IngressRule(c, why)));
        return List.copyOf(out);
    }
}
