package io.stratum.server;

import io.stratum.core.home.StratumHome;
import io.stratum.core.port.MetadataStore;
import io.stratum.core.service.EventBus;
import io.stratum.core.service.EventService;
import io.stratum.core.service.OperationService;
import io.stratum.core.service.Recorder;
import io.stratum.core.service.StackService;
import io.stratum.core.service.StageService;
import io.stratum.core.service.TokenService;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.reconcile.FirewallSync;
import io.stratum.core.reconcile.IngressChanges;
import io.stratum.core.reconcile.InstanceLocks;
import io.stratum.engines.firewall.NftablesFirewall;
import io.stratum.ssh.Bastion;
import io.stratum.ssh.SshTunnels;
import io.stratum.core.reconcile.InstanceWorkflow;
import io.stratum.core.reconcile.OperationRunner;
import io.stratum.core.reconcile.Supervisor;
import io.stratum.core.service.InstanceService;
import io.stratum.engines.local.LocalPlacement;
import io.stratum.server.security.LegacyCredentialMigration;
import io.stratum.server.security.MasterKeyRotation;
import io.stratum.server.security.MasterKeyring;
import io.stratum.core.service.SecretService;
import io.stratum.core.service.ContractService;
import io.stratum.server.http.HttpFront;
import io.stratum.server.security.InternalCa;
import io.stratum.server.security.MasterKey;
import io.stratum.server.security.SecureFiles;
import io.stratum.store.JdbiMetadataStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The control plane: home, keys, CA, metadata store, services and the HTTPS API, started together. */
public final class StratumServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StratumServer.class);
    private final ServerOptions options;
    private final MetadataStore store;
    private final HttpFront front;
    private final boolean adminTokenCreated;
    private final Services services;

    /** The application services, for in-process callers (benchmarks, tests of the server itself). */
    public record Services(StackService stacks, StageService stages, TokenService tokens, OperationService operations,
                           EventService events, InstanceService instances, EngineRegistry engines, SecretService secrets,
                           MasterKeyRotation masterKeyRotation, ContractService contract, String caPem,
                           io.stratum.core.service.SecurityGroupService securityGroups, FirewallSync firewall,
                           io.stratum.core.service.BastionService bastion, BastionEndpoint bastionEndpoint,
                           io.stratum.core.service.ExternalService externals, io.stratum.core.service.BackupService backups,
                           io.stratum.core.service.BackupStoreService backupStores, io.stratum.core.service.ManagedUserService users,
                           io.stratum.core.service.QuotaService quotas, io.stratum.core.service.ReplicaService replicas) {}

    /** Where users reach the bastion, and its host key fingerprint (for known_hosts checks). */
    public record BastionEndpoint(String host, int port, String hostKeyFingerprint, String hostKey) {}

    private final OperationRunner runner;
    private final Supervisor supervisor;
    private final Bastion bastion;
    private final SshTunnels tunnels;
    private final java.util.concurrent.ScheduledExecutorService periodic = java.util.concurrent.Executors.newScheduledThreadPool(2, r -> {
        Thread t = new Thread(r, "periodic-checks");
        t.setDaemon(true);
        return t;
    });

    private StratumServer(ServerOptions options, MetadataStore store, HttpFront front, boolean adminTokenCreated,
                          Services services, OperationRunner runner, Supervisor supervisor, Bastion bastion, SshTunnels tunnels) {
        this.bastion = bastion;
        this.tunnels = tunnels;
        this.options = options;
        this.store = store;
        this.front = front;
        this.adminTokenCreated = adminTokenCreated;
        this.services = services;
        this.runner = runner;
        this.supervisor = supervisor;
    }

    public static StratumServer start(ServerOptions options, Clock clock) {
        StratumHome home = options.home();
        prepareHome(home);
        LogFiles.attach(home.logDir().resolve("stratum.log"));
        MasterKeyring keyring = MasterKeyRotation.load(home);
        InternalCa ca = InternalCa.loadOrCreate(home.caCertificate(), home.caKey());
        MetadataStore store = JdbiMetadataStore.open(options.storeUrl(), home.defaultStoreFile(), options.storePassword());
        Bastion bastion = null;
        SshTunnels tunnels = null;
        try {
            EventBus bus = new EventBus();
            Recorder recorder = new Recorder(new SealingGuardedStore(store, keyring), bus, clock);
            TokenService tokens = new TokenService(recorder);
            ServerOptions.Engines e = options.engines();
            EngineRegistry engines = EngineRegistry.load();
            LocalPlacement placement = new LocalPlacement(home.root(), options.advertiseHost());
            placement.prepare();
            SecretService secrets = new SecretService(recorder, keyring);
            MasterKeyRotation rotation = new MasterKeyRotation(home, keyring, recorder);
            rotation.resumeIfInterrupted();
            new LegacyCredentialMigration(store, secrets, MasterKey.loadOrCreate(home.masterKey()), options.advertiseHost()).run();
            InstanceLocks locks = new InstanceLocks();
            var certificates = new io.stratum.server.security.InstanceCertificateFiles(ca, e.certificateValidity());
            FirewallSync firewall = new FirewallSync(recorder,
                    NftablesFirewall.detect(e.firewall().nftCommand(), e.firewall().tableIn(home.root())), options.advertiseHost(),
                    placement::existingEngineUser);
            firewall.startUp();
            BackupWiring backupParts = new BackupWiring(recorder, keyring, secrets, home.root());
            int partial = backupParts.archives.removeIncomplete();
            if (partial > 0) LOG.warn("removed {} incomplete backup archive(s) left by a crash", partial);
            InstanceWorkflow workflow = new InstanceWorkflow(recorder, engines, placement, secrets, certificates, locks, firewall,
                    backupParts.steps, io.stratum.core.reconcile.StepListener.discovered());
            IngressChanges ingress = new IngressChanges(recorder, engines, workflow, locks, firewall);
            io.stratum.core.service.QuotaService quotas = new io.stratum.core.service.QuotaService(recorder);
            OperationRunner runner = new OperationRunner(workflow, recorder, 6, quotas::operationLimit);
            Supervisor supervisor = new Supervisor(recorder, engines, placement, locks, workflow, certificates, e.storageInterval(),
                    firewall, ingress, e.firewall().checkInterval());
            io.stratum.core.service.BastionService bastionKeys = new io.stratum.core.service.BastionService(recorder,
                    options.advertiseHost());
            bastion = Bastion.start(new Bastion.Options(options.bastion().host(), options.bastion().port(), home.bastionHostKey(),
                    options.bastion().idleTimeout(), options.bastion().maxSession()), bastionKeys);
            tunnels = new SshTunnels();
            io.stratum.core.service.ExternalService externals = new io.stratum.core.service.ExternalService(recorder, secrets, engines,
                    tunnels, home.root().resolve("externals"));
            externals.startUp();
            var replication = new io.stratum.core.reconcile.ReplicationMonitor(recorder, engines, workflow, locks);
            InstanceService instanceService = new InstanceService(recorder, engines, placement, secrets, runner, firewall, e.portFirst(),
                    e.portLast(), options.singleTenant());
            if (!placement.isolatesInstances()) {
                LOG.warn("the control plane does not run as root: instances run as its own OS user and are not isolated from each "
                        + "other or from it{}", options.singleTenant() ? " (--single-tenant: all stacks trust each other)"
                        : "; instances of only one stack may run (--single-tenant allows more)");
            }
            BackupWiring.Services backupServices = backupParts.services(instanceService, externals, runner, locks);
            io.stratum.core.service.BackupService backupService = backupServices.backups();
            backupService.startUp();
            instanceService.useBackups(backupService);
            Services services = new Services(new StackService(recorder), new StageService(recorder), tokens,
                    new OperationService(recorder), new EventService(recorder, bus), instanceService, engines, secrets,
                    rotation, new ContractService(recorder, secrets, options.advertiseHost(), engines,
                            home.caCertificate().toString()), InternalCa.pem(ca.certificate()),
                    new io.stratum.core.service.SecurityGroupService(recorder, ingress), firewall, bastionKeys,
                    new BastionEndpoint(options.advertiseHost(), bastion.port(), bastion.hostKeyFingerprint(), bastion.hostKey()), externals,
                    backupService, backupServices.stores(),
                    new io.stratum.core.service.ManagedUserService(recorder, engines, secrets, workflow, locks, instanceService), quotas,
                    new io.stratum.core.service.ReplicaService(recorder, engines, secrets, instanceService, replication));
            boolean created = tokens.bootstrapAdmin(secret ->
                    SecureFiles.writePrivate(home.adminToken(), (secret + "\n").getBytes(StandardCharsets.US_ASCII))).isPresent();
            var cert = ca.issueServer(options.advertiseHost(), List.of("localhost", "127.0.0.1", "::1",
                    options.listenHost(), options.advertiseHost()), Duration.ofDays(365));
            HttpFront front = HttpFront.start(options, ca, cert, store, clock, services);
            StratumServer server = new StratumServer(options, store, front, created, services, runner, supervisor, bastion, tunnels);
            int resumed = runner.resumeUnfinished();
            if (resumed > 0) LOG.info("resuming {} interrupted operation(s)", resumed);
            supervisor.start(e.supervisorPeriod());
            server.periodic.scheduleWithFixedDelay(() -> {
                try {
                    replication.observeAll();
                } catch (RuntimeException ex) {
                    LOG.warn("observing read replicas failed: {}", ex.toString());
                }
            }, 2, 2, java.util.concurrent.TimeUnit.SECONDS);
            server.periodic.scheduleWithFixedDelay(() -> {
                try {
                    externals.checkHealth();
                } catch (RuntimeException ex) {
                    LOG.warn("external health checks failed: {}", ex.toString());
                }
            }, 5, 5, java.util.concurrent.TimeUnit.SECONDS);
            server.periodic.scheduleWithFixedDelay(() -> {
                try {
                    backupServices.scheduler().run();
                } catch (RuntimeException ex) {
                    LOG.warn("backup schedule failed: {}", ex.toString());
                }
            }, 1, e.supervisorPeriod().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            server.writeServerJson();
            LOG.info("Stratum API listening on {} (store {})", server.url(), store.description());
            CryptoWarmUp.inBackground();
            return server;
        } catch (RuntimeException e) {
            if (bastion != null) bastion.close();
            if (tunnels != null) tunnels.close();
            store.close();
            throw e;
        }
    }

    private static void prepareHome(StratumHome home) {
        // 0711: engine users may pass through to their instance directories; nothing else is reachable by another user.
        SecureFiles.createDirectory(home.root(), "rwx--x--x");
        SecureFiles.createDirectory(home.caDir(), "rwx------");
        SecureFiles.createDirectory(home.logDir(), "rwx------");
        SecureFiles.createDirectory(home.runDir(), "rwx------");
        SecureFiles.createDirectory(home.bastionHostKey().getParent(), "rwx------");
        if (!Files.isWritable(home.root())) {
            throw new IllegalStateException("STRATUM_HOME " + home.root() + " is not writable by this user");
        }
    }

    private void writeServerJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        // the CLI on this host connects locally (an advertised name such as db.internal may not resolve, or not to here)
        json.put("url", localUrl());
        json.put("advertisedUrl", url());
        json.put("ca", options.home().caCertificate().toString());
        front.socket().ifPresent(s -> json.put("socket", s.toString()));
        json.put("pid", ProcessHandle.current().pid());
        json.put("bastion", services.bastionEndpoint().host() + ":" + services.bastionEndpoint().port());
        SecureFiles.writePrivate(options.home().serverJson(),
                io.stratum.server.http.Json.write(json).getBytes(StandardCharsets.UTF_8));
    }

    public String url() {
        String host = options.advertiseHost().contains(":") ? "[" + options.advertiseHost() + "]" : options.advertiseHost();
        return "https://" + host + ":" + front.port();
    }

    /** How a client on this host reaches the API: the listen address, or loopback when it listens on every address. */
    public String localUrl() {
        String host = localHost(options.listenHost());
        return "https://" + (host.contains(":") ? "[" + host.replace("%", "%25") + "]" : host) + ":" + front.port();
    }

    /** Loopback for a wildcard listen address (IPv6's for an IPv6 wildcard), else the listen address itself. */
    static String localHost(String listen) {
        if (listen == null || listen.isBlank()) return "127.0.0.1";
        if (!listen.contains(":") && !listen.matches("[0-9.]+")) return listen; // a host name: what the server listens on
        try {
            java.net.InetAddress a = java.net.InetAddress.getByName(listen); // a literal: no lookup
            if (a.isAnyLocalAddress()) return a instanceof java.net.Inet6Address ? "::1" : "127.0.0.1";
        } catch (java.net.UnknownHostException notAnAddress) {
            // not a valid literal after all: keep it as given
        }
        return listen;
    }

    public int port() {
        return front.port();
    }

    public Path adminTokenFile() {
        return options.home().adminToken();
    }

    public Path caFile() {
        return options.home().caCertificate();
    }

    /** True when this start created the admin token (first start). */
    public boolean adminTokenCreated() {
        return adminTokenCreated;
    }

    public Services services() {
        return services;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(options.home().serverJson());
        } catch (java.io.IOException e) {
            LOG.warn("cannot remove {}: {}", options.home().serverJson(), e.toString());
        }
        supervisor.close();
        periodic.shutdownNow();
        bastion.close();
        tunnels.close();
        runner.close();
        front.close();
        store.close();
    }
}
