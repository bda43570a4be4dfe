package io.stratum.engines.firewall;

import io.stratum.core.network.Cidr;
import io.stratum.core.network.PortIngress;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The nftables script that replaces Stratum's table as one transaction (pure). Per instance (its listen address and
 * port, nothing broader): accept the admitted source networks, drop the rest. The filter is stateless (no connection tracking, which cost 14% of pgbench -S TPS on
 * loopback): a revoke stops new connections and also cuts established ones from that network. Engines' replies are not
 * matched (their source port is the instance port). The chain's policy is accept: other ports are not Stratum's business.
 */
public final class NftRuleset {
    /** Table names Stratum accepts (it owns exactly one table, {@code inet NAME}). */
    public static final Pattern TABLE_NAME = Pattern.compile("^[a-z][a-z0-9_]{0,30}$");

    /**
     * The packet mark of connections from an instance's replicas, set in the output hook by the socket's OS user (which a
     * tenant cannot choose, and no unprivileged process can set: SO_MARK needs CAP_NET_ADMIN) and accepted in the input hook.
     */
    static final String REPLICA_MARK = "0x53545231";
    /** OS user names Stratum makes for instances (a name in the ruleset is never anything else). */
    private static final Pattern USER_NAME = Pattern.compile("^[a-z_][a-z0-9_-]{0,31}$");

    private NftRuleset() {}

    /** Creating then deleting the table first makes the script work whether or not the table exists. */
    public static String render(String table, List<PortIngress> ports) {
        StringBuilder nft = new StringBuilder()
                .append("table inet ").append(table).append(" {}\n")
                .append("delete table inet ").append(table).append('\n')
                .append("table inet ").append(table).append(" {\n")
                .append("\tchain ingress {\n")
                .append("\t\ttype filter hook input priority filter; policy accept;\n");
        for (PortIngress p : ports) {
            String comment = " comment \"" + p.instance() + "\"";
            boolean v6 = !p.everyAddress() && p.address().contains(":");
            String destination = destination(p);
            if (!p.trustedUsers().isEmpty()) {
                nft.append("\t\t").append(destination).append("tcp dport ").append(p.port()).append(" meta mark ").append(REPLICA_MARK)
                        .append(" accept").append(comment).append('\n');
            }
            for (Cidr c : p.sources()) {
                if (!p.everyAddress() && c.ipv6() != v6) continue; // a source of the other family never reaches this address
                nft.append("\t\t").append(destination).append("tcp dport ").append(p.port()).append(c.ipv6() ? " ip6 saddr " : " ip saddr ")
                        .append(c).append(" accept").append(comment).append('\n');
            }
            nft.append("\t\t").append(destination).append("tcp dport ").append(p.port()).append(" drop").append(comment).append('\n');
        }
        nft.append("\t}\n");
        if (ports.stream().anyMatch(p -> !p.trustedUsers().isEmpty())) {
            nft.append("\tchain replication {\n\t\ttype filter hook output priority filter; policy accept;\n");
            for (PortIngress p : ports) {
                for (String user : p.trustedUsers()) {
                    if (!USER_NAME.matcher(user).matches()) throw new IllegalArgumentException("not an OS user name: " + user);
                    nft.append("\t\t").append(destination(p)).append("tcp dport ").append(p.port()).append(" meta skuid \"").append(user)
                            .append("\" meta mark set ").append(REPLICA_MARK).append(" comment \"").append(p.instance()).append("\"\n");
                }
            }
            nft.append("\t}\n");
        }
        return nft.append("}\n").toString();
    }

    private static String destination(PortIngress p) {
        if (p.everyAddress()) return "";
        return (p.address().contains(":") ? "ip6 daddr " : "ip daddr ") + p.address() + " ";
    }
}
