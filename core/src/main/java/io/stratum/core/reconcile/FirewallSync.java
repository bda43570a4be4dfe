package io.stratum.core.reconcile;

import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.InstanceStatus;
import io.stratum.core.network.Enforcement;
import io.stratum.core.network.IngressPolicy;
import io.stratum.core.network.IngressRule;
import io.stratum.core.network.PortIngress;
import io.stratum.core.network.SecurityGroup;
import io.stratum.core.port.Firewall;
import io.stratum.core.port.StoreTx;
import io.stratum.core.service.Recorder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the kernel layer equal to the store: the whole table is computed from every instance (except those being
 * deleted) and its security groups, and rewritten in one transaction on each change, at start, and when the periodic
 * check finds it flushed, deleted or edited.
 */
public final class FirewallSync {
    private static final Logger LOG = LoggerFactory.getLogger(FirewallSync.class);
    private final Recorder recorder;
    private final Firewall firewall;
    private final String connectHost;
    private final java.util.function.Function<String, String> replicationUser;

    public FirewallSync(Recorder recorder, Firewall firewall, String connectHost) {
        this(recorder, firewall, connectHost, name -> null);
    }

    /** {@code replicationUser}: the OS user of its own an instance's engine runs as, or null (its replicas' connections are admitted by it). */
    public FirewallSync(Recorder recorder, Firewall firewall, String connectHost, java.util.function.Function<String, String> replicationUser) {
        this.recorder = recorder;
        this.firewall = firewall;
        this.connectHost = connectHost;
        this.replicationUser = replicationUser;
    }

    public Enforcement enforcement() {
        return firewall.enforcement();
    }

    public String unavailableReason() {
        return firewall.unavailableReason();
    }

    /** The instance's effective rules with the groups as they are in the store now. */
    public List<IngressRule> ingress(InstanceSpec spec) {
        return recorder.store().read(tx -> IngressPolicy.effective(spec, groups(tx), connectHost));
    }

    /** Rewrites the table from the store. */
    public synchronized void sync() {
        List<PortIngress> desired = recorder.store().read(tx -> {
            Map<String, SecurityGroup> groups = groups(tx);
            List<Instance> live = tx.instances().list().stream().filter(i -> i.status() != InstanceStatus.DELETING).toList();
            return live.stream().map(i -> portIngress(i, groups, live)).toList();
        });
        firewall.apply(desired);
    }

    /** At control-plane start: rebuild the table, or record that only the engines enforce rules here. */
    public void startUp() {
        if (firewall.enforcement() == Enforcement.ENGINE_ONLY) {
            LOG.warn("security groups are enforced by the engines only: {}", firewall.unavailableReason());
            event("firewall.engine-only", firewall.unavailableReason());
            return;
        }
        sync();
        java.util.Set<String> mine = recorder.store().read(tx -> tx.instances().list().stream().map(Instance::name)
                .collect(java.util.stream.Collectors.toSet()));
        if (firewall.removeLegacyTable(LEGACY_TABLE, mine)) {
            event("firewall.legacy-table-removed", "table inet " + LEGACY_TABLE + " (shared by older versions) held only this home's "
                    + "rules; they are in this home's own table now");
        }
    }

    /** The one table older versions used for every home on a machine. */
    static final String LEGACY_TABLE = "stratum";

    /** The periodic check: a table that is not what Stratum wrote is rebuilt, with an event. */
    public void repairIfNeeded() {
        if (firewall.intact()) return;
        sync();
        event("firewall.repaired", "the nftables table was missing or changed outside Stratum; rebuilt from the store");
    }

    public List<String> kernelRules(int port) {
        return firewall.rulesFor(port);
    }

    private PortIngress portIngress(Instance i, Map<String, SecurityGroup> groups, List<Instance> live) {
        List<String> replicaUsers = live.stream().filter(r -> i.name().equals(r.spec().source())).map(r -> replicationUser.apply(r.name()))
                .filter(java.util.Objects::nonNull).sorted().toList();
        return new PortIngress(i.spec().publicAccess() ? "0.0.0.0" : listenAddress(), i.spec().port(), i.name(),
                IngressPolicy.networks(IngressPolicy.effective(i.spec(), groups, connectHost)), replicaUsers);
    }

    /**
     * The address instances listen on, as an IP literal (the advertise host resolved); every address (rules by port
     * alone) when it cannot be resolved or resolves to several, which the engines may all listen on.
     */
    private String listenAddress() {
        return listenAddress(connectHost);
    }

    static String listenAddress(String host) {
        try {
            java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
            return all.length == 1 ? all[0].getHostAddress() : "0.0.0.0";
        } catch (java.net.UnknownHostException e) {
            return "0.0.0.0";
        }
    }

    private static Map<String, SecurityGroup> groups(StoreTx tx) {
        return tx.securityGroups().list().stream().collect(Collectors.toMap(SecurityGroup::name, Function.identity()));
    }

    private void event(String action, String detail) {
        recorder.record(SystemActor.PRINCIPAL, tx -> new Recorder.Change<>(null, "firewall", null, action, detail));
    }
}
