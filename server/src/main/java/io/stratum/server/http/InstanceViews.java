package io.stratum.server.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.instance.CreateInstanceRequest;
import io.stratum.core.instance.Instance;
import io.stratum.core.network.IngressRule;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.ModifyInstanceRequest;
import io.stratum.core.instance.ParamSpec;
import io.stratum.core.reconcile.Credentials;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** JSON shapes of instances and engines (DESIGN.md §3), and the request bodies of create and modify. */
public final class InstanceViews {
    private InstanceViews() {}

    public record CreateInstanceBody(String name, String engine, String version, @JsonProperty("class") String instanceClass,
                                     Integer storage, Integer maxStorage, String stack, String stage, Integer port,
                                     String database, String masterUser, @JsonProperty("public") Boolean publicAccess,
                                     List<String> securityGroups, Integer backupRetentionDays, String backupWindow,
                                     Boolean deletionProtection, Map<String, String> params, String tls, String backupStore) {
        CreateInstanceRequest toRequest() {
            return new CreateInstanceRequest(name, engine, version, instanceClass, storage, maxStorage, stack, stage, port, database,
                    masterUser, publicAccess, securityGroups, backupRetentionDays, backupWindow, deletionProtection, params, tls, backupStore);
        }
    }

    public record ModifyInstanceBody(@JsonProperty("class") String instanceClass, Integer storage, Integer maxStorage,
                                     Map<String, String> params, Boolean deletionProtection, Integer backupRetentionDays,
                                     String backupWindow, List<String> securityGroups, String tls, Boolean applyImmediately) {
        ModifyInstanceRequest toRequest() {
            return new ModifyInstanceRequest(instanceClass, storage, maxStorage, params, deletionProtection, backupRetentionDays,
                    backupWindow, securityGroups, tls, applyImmediately);
        }
    }

    /** {@code POST /v1/instances/{source}/replicas}: the replica's name, and what differs from its source. */
    public record CreateReplicaBody(String name, @JsonProperty("class") String instanceClass, Integer port, List<String> securityGroups,
                                    String stack) {
        io.stratum.core.instance.CreateReplicaRequest toRequest(String source) {
            return new io.stratum.core.instance.CreateReplicaRequest(name, source, instanceClass, port, securityGroups, stack);
        }
    }

    /** An instance's replicas (by name) and, for a replica, its last observed replication. */
    record ReplicationFacts(List<String> replicas, io.stratum.core.reconcile.ReplicationMonitor.Observation observed) {}

    /**
     * A replica's replication as last observed from its source (refreshed every 2 s): streaming or not and why, lag in
     * bytes of the source's log and in seconds.
     */
    public record ReplicationView(boolean streaming, long lagBytes, double lagSeconds, boolean lagging, String reason, Instant observedAt) {
        static ReplicationView of(io.stratum.core.reconcile.ReplicationMonitor.Observation o) {
            return o == null ? null : new ReplicationView(o.state().streaming(), o.state().lagBytes(),
                    Math.round(o.state().lagSeconds() * 1000) / 1000.0, o.lagging(), o.state().reason(), o.at());
        }
    }

    public record Endpoint(String host, int port) {}

    public record Storage(int allocatedGiB, int maxGiB, long usedBytes) {}

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record InstanceView(String name, String engine, String version, @JsonProperty("class") String instanceClass,
                               String status, String stack, String stage, Endpoint endpoint, String database,
                               String masterUser, String masterSecret, Storage storage, List<String> securityGroups,
                               @JsonProperty("public") boolean publicAccess, String tls, boolean deletionProtection,
                               int backupRetentionDays, String backupWindow, String role, String source, List<String> replicas,
                               ReplicationView replication,
                               Map<String, String> pendingModifications, Map<String, String> parameters, boolean managed,
                               String lastError, String enforcement, List<IngressView> ingress, Endpoint via, LatestBackup latestBackup,
                               String backupStore, String drillSchedule, LastDrill lastDrill, String osUser, String isolation,
                               Instant createdAt) {
        static InstanceView of(Instance i, String endpointHost, String enforcement, List<IngressRule> ingress, BackupFacts backups,
                               io.stratum.core.service.InstanceService.Isolation isolation, ReplicationFacts replication) {
            InstanceSpec s = i.spec();
            return new InstanceView(s.name(), s.engine(), s.version(), s.instanceClass().wireName(), i.status().wireName(),
                    s.stack(), s.stage(), new Endpoint(endpointHost, s.port()), s.database(), s.masterUser(),
                    Credentials.masterSecret(s), new Storage(s.storageGiB(), s.maxStorageGiB(), i.storageUsedBytes()),
                    s.securityGroups(), s.publicAccess(), s.tls(), s.deletionProtection(), s.backupRetentionDays(),
                    s.backupWindow(), s.role(), s.source(), replication.replicas(), ReplicationView.of(replication.observed()), i.pending(), s.params(), true, i.lastError(), enforcement,
                    ingress.stream().map(IngressView::of).toList(), null, LatestBackup.of(backups.latest()), backups.policy().store(),
                    backups.policy().drill().wireName(), LastDrill.of(backups.lastDrill()), isolation.osUser(), isolation.level(),
                    i.createdAt());
        }
    }

    /**
     * An external instance in the instance list ({@code managed: false}): its endpoint is the provider's, and
     * {@code via} says where Stratum reaches it (the tunnel's local end on this host, or the provider).
     */
    static InstanceView ofExternal(io.stratum.core.external.ExternalInstance e, BackupFacts backups) {
        InstanceSpec s = io.stratum.core.service.ExternalService.spec(e);
        return new InstanceView(e.name(), e.engine(), "external", "-", e.status().wireName(), e.stack(), e.stage(),
                new Endpoint(e.host(), e.port()), e.database(), e.user(), Credentials.masterSecret(s), new Storage(0, 0, 0), List.of(),
                false, e.tls(), false, s.backupRetentionDays(), s.backupWindow(), e.tunneled() ? "external via ssh " + e.ssh().user() + "@" + e.ssh().host() + ":"
                + e.ssh().port() + " (local 127.0.0.1:" + e.tunnelPort() + ")" : "external (direct)", null, List.of(), null, Map.of(), Map.of(),
                false, e.lastError(), "provider", List.of(), new Endpoint(e.connectHost(), e.connectPort()), LatestBackup.of(backups.latest()),
                backups.policy().store(), backups.policy().drill().wireName(), LastDrill.of(backups.lastDrill()), null,
                "provider: Stratum does not run it", e.createdAt());
    }

    /** What {@code db show} says about an instance's backups: the newest, where they go, and the last restore drill. */
    record BackupFacts(io.stratum.core.backup.Backup latest, io.stratum.core.backup.BackupPolicy policy,
                       io.stratum.core.backup.Backup lastDrill) {
        static BackupFacts of(io.stratum.core.service.BackupService backups, String instance) {
            return new BackupFacts(backups.latest(instance).orElse(null), backups.policy(instance), backups.latestDrill(instance).orElse(null));
        }
    }

    /** The last finished restore drill: passed or failed, how long the restore and check took, and what differed. */
    public record LastDrill(String backup, String status, Instant at, long millis, String detail) {
        static LastDrill of(io.stratum.core.backup.Backup b) {
            return b == null ? null : new LastDrill(b.id(), b.drill().status().wireName(), b.drill().at(), b.drill().millis(), b.drill().detail());
        }
    }

    /** The newest backup of an instance, so a failed or missing one shows in {@code db show} (never silent). */
    public record LatestBackup(String id, String kind, String status, Instant at, String error) {
        static LatestBackup of(io.stratum.core.backup.Backup b) {
            return b == null ? null : new LatestBackup(b.id(), b.kind(), b.status().wireName(), b.createdAt(), b.error());
        }
    }

    /** One admitted network and why it is admitted. */
    public record IngressView(String cidr, String reason) {
        static IngressView of(IngressRule r) {
            return new IngressView(r.cidr().toString(), r.reason());
        }
    }

    public record ParamView(String name, String type, String range, boolean dynamic, String description) {}

    /** An engine: what it can do, its contract block, its client (a template: see {@link io.stratum.core.engine.ClientCommand}). */
    public record EngineView(String name, List<String> versions, boolean installed, int defaultPort, Map<String, String> aliases,
                             List<String> capabilities, List<String> features, String contractPrefix,
                             io.stratum.core.engine.ClientCommand client, List<ParamView> parameters) {
        static EngineView of(EngineProvider p) {
            List<String> versions = p.versions();
            return new EngineView(p.name(), versions, !versions.isEmpty(), p.defaultPort(), p.aliases(),
                    p.capabilities().stream().sorted().map(io.stratum.core.engine.Capability::wireName).toList(), p.features(),
                    p.contract().prefix(), p.client(),
                    p.parameters().all().stream().map(ps -> new ParamView(ps.name(), ps.type().name().toLowerCase(java.util.Locale.ROOT),
                            ps.describe(), ps.dynamic(), ps.help())).toList());
        }
    }

    public record CredentialsView(String engine, String host, int port, String username, String password, String database) {}
}
