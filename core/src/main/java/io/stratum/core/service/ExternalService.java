package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.engine.Capability;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.external.ExternalInstance;
import io.stratum.core.external.ExternalStatus;
import io.stratum.core.external.SshTarget;
import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.port.Tunnels;
import io.stratum.core.reconcile.Credentials;
import io.stratum.core.reconcile.SystemActor;
import io.stratum.core.secret.FlatJson;
import io.stratum.core.validation.ResourceNames;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * External instances: databases at a provider that Stratum connects to (directly or through an SSH tunnel it keeps up),
 * checks, and hands out in the connection contract, but does not run. Registration proves the credentials (and the
 * tunnel) work before anything is recorded.
 */
public final class ExternalService {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalService.class);
    private final Recorder recorder;
    private final SecretService secrets;
    private final EngineRegistry engines;
    private final Tunnels tunnels;
    private final String controlUser = System.getProperty("user.name");

    public ExternalService(Recorder recorder, SecretService secrets, EngineRegistry engines, Tunnels tunnels, Path externalsDir) {
        this(recorder, secrets, engines, tunnels, externalsDir, HEALTH_TIMEOUT);
    }

    /** {@code externalsDir}: where what Stratum keeps for externals on disk (their CA certificates) lives. */
    public ExternalService(Recorder recorder, SecretService secrets, EngineRegistry engines, Tunnels tunnels, Path externalsDir,
                           java.time.Duration healthTimeout) {
        this.externalsDir = externalsDir;
        this.healthTimeout = healthTimeout;
        this.recorder = recorder;
        this.secrets = secrets;
        this.engines = engines;
        this.tunnels = tunnels;
    }

    /** What {@code external register} asks for; the password and SSH private key come separately (never in JSON logs). */
    public record RegisterRequest(String name, String engine, String host, Integer port, String user, String database, String stack,
                                  String stage, String tls, String sshHost, Integer sshPort, String sshUser, String sshHostKey,
                                  Boolean contractViaTunnel, String caPem) {}

    /** The registered instance and the SSH host key now pinned (trusted on first use unless it was given). */
    public record Registered(ExternalInstance instance, String hostKey, boolean trustedOnFirstUse) {}

    public Registered register(Principal p, RegisterRequest r, String password, String sshPrivateKey) {
        if (r.stack() == null) p.requireAdmin("registering an external instance outside any stack");
        else p.requireWrite(r.stack(), "register external instances");
        ExternalInstance draft = validate(r, password, sshPrivateKey);
        String reached = draft.tunneled() ? draft.ssh().host() : draft.host();
        if (io.stratum.core.external.ExternalTargets.local(reached) && io.stratum.core.external.ExternalTargets.rebindable(reached)) {
            throw ValidationException.of(draft.tunneled() ? "sshHost" : "host", reached + " resolves to an address of this host: a name "
                    + "can be made to resolve elsewhere later, so a local target is registered by its IP address (admins only)");
        }
        if (io.stratum.core.external.ExternalTargets.local(reached)) {
            p.requireAdmin("registering an external instance (or SSH host) on this host's loopback or link-local addresses, where "
                    + "Stratum's own instances and the cloud metadata service answer,");
        }
        String name = draft.name();
        if (recorder.store().read(tx -> tx.instances().find(name).isPresent() || tx.externals().find(name).isPresent())) {
            // checked before any tunnel is opened under this name (the transaction below checks again)
            throw new ConflictException("already-exists", "an instance named '" + name + "' already exists");
        }
        EngineProvider engine = engines.get(draft.engine());
        String hostKey = null;
        boolean tofu = false;
        int localPort = 0;
        if (draft.tunneled()) {
            SshTarget target = draft.ssh();
            try {
                if (target.hostKey() == null) {
                    hostKey = tunnels.hostKeyOf(target, sshPrivateKey);
                    tofu = true;
                    target = target.withHostKey(hostKey);
                } else {
                    hostKey = target.hostKey();
                }
                localPort = tunnels.open(draft.name(), target, sshPrivateKey, draft.host(), draft.port(), 0, events(draft));
            } catch (RuntimeException e) {
                throw ValidationException.of("sshHost", "cannot open the SSH tunnel: "
                        + io.stratum.core.external.ExternalTargets.providerText(e.getMessage()));
            }
            draft = withTunnel(draft, target, localPort);
        }
        // checked with files of this attempt only: a CA file another registration of the name left can never be trusted
        Path scratch = externalsDir.resolve(".register-" + java.util.UUID.randomUUID());
        try {
            engine.verifyConnection(context(draft, password, scratch));
        } catch (RuntimeException e) {
            tunnels.close(draft.name());
            String msg = io.stratum.core.external.ExternalTargets.providerText(e.getMessage() == null ? e.toString() : e.getMessage());
            boolean auth = msg.contains("password") || msg.contains("Access denied") || msg.contains("WRONGPASS");
            throw ValidationException.of(auth ? "password" : "host", (auth ? "the database refused the login: " : "cannot reach "
                    + draft.host() + ":" + draft.port() + (draft.tunneled() ? " through the tunnel" : "") + ": ") + msg);
        } finally {
            io.stratum.core.external.ExternalFiles.remove(scratch);
        }
        ExternalInstance ext = draft.withHealth(ExternalStatus.AVAILABLE, null, recorder.clock().instant());
        InstanceSpec spec = spec(ext);
        String key = hostKey;
        try {
            recorder.record(p, tx -> {
                if (ext.stack() != null && tx.stages().find(ext.stack(), ext.stage()).isEmpty()) {
                    throw new NotFoundException("stage '" + ext.stack() + "/" + ext.stage() + "' does not exist: create it with "
                            + "'stratum stage create " + ext.stack() + "/" + ext.stage() + "'");
                }
                QuotaService.requireRoom(tx, ext.stack(), 1, 0);
                if (tx.instances().find(ext.name()).isPresent() || !tx.externals().insert(ext)) {
                    throw new ConflictException("already-exists", "an instance named '" + ext.name() + "' already exists");
                }
                secrets.createManaged(tx, Credentials.masterSecret(spec), masterValue(ext, password), Credentials.tags(spec, "master", true));
                if (ext.tunneled()) {
                    secrets.createManaged(tx, sshKeySecret(spec), FlatJson.write(Map.of("privateKey", sshPrivateKey)),
                            Credentials.tags(spec, "ssh-key", false));
                }
                return new Recorder.Change<>(null, "external/" + ext.name(), ext.stack(), "external.registered", describe(ext));
            });
        } catch (RuntimeException e) {
            tunnels.close(ext.name());
            throw e;
        }
        return new Registered(ext, key, tofu);
    }

    private ExternalInstance validate(RegisterRequest r, String password, String sshKey) {
        List<FieldError> errors = new ArrayList<>();
        String p = ResourceNames.problem(r.name());
        if (p != null) errors.add(new FieldError("name", p));
        String engine = null;
        EngineProvider provider = null;
        if (r.engine() == null) {
            errors.add(new FieldError("engine", "is required: one of " + String.join(", ", engines.all().stream().map(EngineProvider::name)
                    .toList())));
        } else {
            try {
                provider = engines.resolve("engine", r.engine());
                engine = provider.name();
            } catch (ValidationException e) {
                errors.addAll(e.errors());
            }
        }
        io.stratum.core.external.ExternalTargets.nameErrors(r.database(), r.user(), r.host(), errors);
        portError("port", r.port(), errors);
        if (password == null || password.isEmpty()) errors.add(new FieldError("password", "is required, on stdin (--password-stdin)"));
        if ((r.stack() == null) != (r.stage() == null)) {
            errors.add(new FieldError(r.stack() == null ? "stack" : "stage", "give both --stack and --stage, or neither"));
        }
        String tls = r.tls() == null ? ExternalInstance.TLS_OFF : r.tls();
        if (!List.of(ExternalInstance.TLS_OFF, ExternalInstance.TLS_REQUIRE, ExternalInstance.TLS_ENCRYPT_ONLY).contains(tls)) {
            errors.add(new FieldError("tls", "'" + tls + "' is not off, require (encrypted, the certificate verified against the system's "
                    + "CAs or --ca-file) or encrypt-only (encrypted, the certificate not verified)"));
        }
        if (provider != null && !tls.equals(ExternalInstance.TLS_OFF) && !provider.capabilities().contains(Capability.EXTERNAL_TLS)) {
            errors.add(new FieldError("tls", "TLS to an external " + engine + " database is not supported yet"));
        }
        java.util.Optional<String> defaultDatabase = provider == null ? java.util.Optional.empty() : provider.externalDefaultDatabase();
        if (r.database() == null && provider != null && defaultDatabase.isEmpty()) {
            errors.add(new FieldError("database", engine + " has no default database: give the one the applications use with --database"));
        }
        if (r.caPem() != null && !tls.equals(ExternalInstance.TLS_REQUIRE)) {
            errors.add(new FieldError("caFile", "a CA certificate verifies the server's: it goes with --tls require"));
        } else if (r.caPem() != null) {
            caErrors(r.caPem(), errors);
        }
        boolean anySsh = r.sshHost() != null || r.sshUser() != null || r.sshPort() != null || r.sshHostKey() != null || sshKey != null;
        SshTarget ssh = null;
        if (anySsh) {
            if (r.sshHost() == null || !r.sshHost().matches("^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$")) {
                errors.add(new FieldError("sshHost", "is required with the other --ssh-* options: a host name or address"));
            }
            if (r.sshUser() == null || !r.sshUser().matches("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}$")) {
                errors.add(new FieldError("sshUser", "is required with --ssh-host: a user name (letters, digits, '_', '.', '-')"));
            }
            if (sshKey == null || !sshKey.contains("PRIVATE KEY")) {
                errors.add(new FieldError("sshKey", "is required with --ssh-host: a private key file (--ssh-key-file)"));
            }
            portError("sshPort", r.sshPort() == null ? 22 : r.sshPort(), errors);
            ssh = new SshTarget(r.sshHost(), r.sshPort() == null ? 22 : r.sshPort(), r.sshUser(),
                    r.sshHostKey() == null || r.sshHostKey().isBlank() ? null : r.sshHostKey().strip());
        }
        boolean viaTunnel = Boolean.TRUE.equals(r.contractViaTunnel());
        if (viaTunnel && !anySsh) errors.add(new FieldError("contractViaTunnel", "needs an SSH tunnel (--ssh-host ...)"));
        if (!errors.isEmpty()) throw new ValidationException(errors);
        String database = r.database() != null ? r.database() : defaultDatabase.orElseThrow();
        return new ExternalInstance(r.name(), engine, r.host(), r.port(), r.user(), database, r.stack(), r.stage(), tls, ssh, 0, viaTunnel,
                ExternalStatus.UNREACHABLE, null, null, recorder.clock().instant(), r.caPem());
    }

    private static void caErrors(String pem, List<FieldError> errors) {
        try {
            var certs = java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) errors.add(new FieldError("caFile", "holds no certificate: give a PEM file of the provider's CA"));
        } catch (java.security.cert.CertificateException e) {
            errors.add(new FieldError("caFile", "is not a PEM certificate: " + io.stratum.core.external.ExternalTargets.providerText(e.getMessage())));
        }
    }

    private static void portError(String field, Integer port, List<FieldError> errors) {
        if (port == null) errors.add(new FieldError(field, "is required: 1-65535"));
        else if (port < 1 || port > 65535) errors.add(new FieldError(field, port + " is out of range: use 1-65535"));
    }

    private static ExternalInstance withTunnel(ExternalInstance e, SshTarget target, int localPort) {
        return new ExternalInstance(e.name(), e.engine(), e.host(), e.port(), e.user(), e.database(), e.stack(), e.stage(), e.tls(),
                target, localPort, e.contractViaTunnel(), e.status(), e.lastError(), e.checkedAt(), e.createdAt(), e.caPem());
    }

    /** The instance as a spec reached on its connect port (for secret names, tags and the engine's connection check). */
    /** External databases are backed up daily in this window (UTC) and kept this long, like a managed instance's defaults. */
    static final String EXTERNAL_WINDOW = "03:00-03:30";
    /** The version shown for a database Stratum does not run (its provider's; backups say external with a typed flag). */
    static final String EXTERNAL_VERSION = "external";
    static final int EXTERNAL_RETENTION_DAYS = 7;

    public static InstanceSpec spec(ExternalInstance e) {
        return spec(e, e.connectPort());
    }

    private static InstanceSpec spec(ExternalInstance e, int port) {
        return InstanceSpec.builder(e.name(), e.engine()).version(EXTERNAL_VERSION).instanceClass(InstanceClass.SMALL).storage(1, 1)
                .port(port).stage(e.stack(), e.stage()).database(e.database()).masterUser(e.user())
                .backupPolicy(EXTERNAL_RETENTION_DAYS, EXTERNAL_WINDOW).tls(e.tls()).build();
    }

    private static String sshKeySecret(InstanceSpec spec) {
        return Credentials.masterSecret(spec).replaceAll("/master$", "/ssh-key");
    }

    private static String masterValue(ExternalInstance e, String password) {
        return Credentials.masterValue(spec(e, e.port()), e.host(), password);
    }

    /** Where a backup of {@code e} connects (its tunnel, or the provider) as the master user, for the dump. */
    InstanceContext backupContext(ExternalInstance e) {
        return context(e, Credentials.password(secrets.currentValue(Credentials.masterSecret(spec(e)))));
    }

    EngineRegistry engines() {
        return engines;
    }

    /**
     * How Stratum connects to {@code e}: its tunnel or endpoint, its TLS mode for connections ({@code verify-full},
     * {@code require} or {@code off}) and, when one was given, its CA certificate in {@code externals/NAME/conf/ca.crt}.
     */
    private InstanceContext context(ExternalInstance e, String password) {
        return context(e, password, externalsDir.resolve(e.name()));
    }

    /** {@code dir} holds its CA file, exactly the one registered for it (or none: then the system's CAs are used). */
    private InstanceContext context(ExternalInstance e, String password, Path dir) {
        if (!e.tunneled()) io.stratum.core.external.ExternalTargets.requireRemoteNow(e.host());
        InstanceContext ctx = new InstanceContext(spec(e).withTls(e.connectionTls()), dir, Path.of("/nonexistent"), e.connectHost(),
                e.connectHost(), io.stratum.core.engine.OsUsers.self(controlUser), password, null, List.of(), List.of());
        io.stratum.core.external.ExternalFiles.syncCa(ctx.tlsCa(), e.caPem());
        return ctx;
    }

    private static String describe(ExternalInstance e) {
        return e.engine() + " at " + e.host() + ":" + e.port() + (e.tunneled() ? " through ssh " + e.ssh().user() + "@" + e.ssh().host()
                + ":" + e.ssh().port() + " (local port " + e.tunnelPort() + ")" : " (direct)");
    }

    private java.util.function.BiConsumer<String, String> events(ExternalInstance e) {
        return (action, detail) -> {
            try {
                recorder.record(SystemActor.PRINCIPAL, tx -> new Recorder.Change<>(null, "external/" + e.name(), e.stack(), action, detail));
            } catch (RuntimeException ex) {
                LOG.warn("recording {} for {} failed: {}", action, e.name(), ex.toString());
            }
        };
    }

    public List<ExternalInstance> list(Principal p) {
        return recorder.store().read(tx -> tx.externals().list()).stream()
                .filter(e -> e.stack() == null ? p.readsEverything() : p.canRead(e.stack())).toList();
    }

    public Optional<ExternalInstance> find(Principal p, String name) {
        return recorder.store().read(tx -> tx.externals().find(name))
                .filter(e -> e.stack() == null ? p.readsEverything() : p.canRead(e.stack()));
    }

    public ExternalInstance get(Principal p, String name) {
        ResourceNames.require("name", name);
        return find(p, name).orElseThrow(() -> new NotFoundException("external instance '" + name + "' does not exist (see 'stratum db list')"));
    }

    /** What {@code db connect} needs: the tunnel's local end (or the provider) and the master password. */
    public InstanceService.MasterCredentials masterCredentials(Principal p, String name) {
        ExternalInstance e = get(p, name);
        if (e.stack() == null) p.requireAdmin("read master credentials outside any stack");
        else p.requireWrite(e.stack(), "read master credentials");
        String password = Credentials.password(secrets.currentValue(Credentials.masterSecret(spec(e))));
        recorder.record(p, tx -> new Recorder.Change<>(null, "external/" + name, e.stack(), "external.credentials-read", null));
        return new InstanceService.MasterCredentials(e.engine(), e.connectHost(), e.connectPort(), e.user(), password, e.database());
    }

    public void delete(Principal p, String name, String confirm) {
        ExternalInstance e = get(p, name);
        if (e.stack() == null) p.requireAdmin("remove external instances outside any stack");
        else p.requireWrite(e.stack(), "remove external instances");
        if (!name.equals(confirm)) {
            throw new ConflictException("confirmation-required", "removing external instance '" + name + "' forgets its credentials "
                    + "(the database at the provider is not touched): repeat its name with --confirm " + name);
        }
        tunnels.close(name);
        recorder.record(p, tx -> {
            tx.externals().delete(name);
            tx.secrets().delete(Credentials.masterSecret(spec(e)));
            tx.secrets().delete(sshKeySecret(spec(e)));
            return new Recorder.Change<>(null, "external/" + name, e.stack(), "external.removed", "the database at the provider is untouched");
        });
        io.stratum.core.external.ExternalFiles.remove(externalsDir.resolve(name));
    }

    /** At control-plane start: reopen every tunnel on its recorded local port. */
    public void startUp() {
        for (ExternalInstance e : recorder.store().read(tx -> tx.externals().list())) {
            if (!e.tunneled()) continue;
            try {
                String key = FlatJson.read(secrets.currentValue(sshKeySecret(spec(e)))).get("privateKey");
                tunnels.open(e.name(), e.ssh(), key, e.host(), e.port(), e.tunnelPort(), events(e));
            } catch (RuntimeException ex) {
                LOG.warn("tunnel of {} not up at start: {}", e.name(), ex.getMessage());
                events(e).accept("external.tunnel-down", "not up at start: " + ex.getMessage());
            }
        }
    }

    /** How long one external's health check may take before it counts as unreachable (by default). */
    public static final java.time.Duration HEALTH_TIMEOUT = java.time.Duration.ofSeconds(15);
    private final java.time.Duration healthTimeout;
    private final Path externalsDir;
    private final java.util.concurrent.ExecutorService healthChecks = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    /**
     * Health: an authenticated connection through the tunnel (or directly), every external at once, each bounded by
     * the health timeout (one that hangs never holds up the others, or the next round); a change of status is an event.
     */
    public void checkHealth() {
        List<ExternalInstance> all = recorder.store().read(tx -> tx.externals().list());
        Map<ExternalInstance, java.util.concurrent.Future<String>> checks = new java.util.LinkedHashMap<>();
        for (ExternalInstance e : all) checks.put(e, healthChecks.submit(() -> probe(e)));
        long deadline = System.nanoTime() + healthTimeout.toNanos();
        checks.forEach((e, check) -> {
            String error;
            try {
                error = check.get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException ex) {
                check.cancel(true);
                error = "no answer within " + healthTimeout.toSeconds() + " s";
            } catch (java.util.concurrent.ExecutionException | InterruptedException ex) {
                error = ex.toString();
            }
            record(e, error);
        });
    }

    /** Null when the external answers as its master user; else why not, as the caller may see it. */
    private String probe(ExternalInstance e) {
        try {
            String password = Credentials.password(secrets.currentValue(Credentials.masterSecret(spec(e))));
            engines.get(e.engine()).verifyConnection(context(e, password));
            return null;
        } catch (RuntimeException ex) {
            return io.stratum.core.external.ExternalTargets.providerText(ex.getMessage() == null ? ex.toString() : ex.getMessage());
        }
    }

    private void record(ExternalInstance e, String error) {
        ExternalStatus status = error == null ? ExternalStatus.AVAILABLE : ExternalStatus.UNREACHABLE;
        Instant now = recorder.clock().instant();
        if (status != e.status()) {
            recorder.record(SystemActor.PRINCIPAL, tx -> {
                tx.externals().update(e.withHealth(status, error, now));
                return new Recorder.Change<>(null, "external/" + e.name(), e.stack(), "external." + status.wireName(), error);
            });
        } else {
            recorder.store().inTransaction(tx -> {
                tx.externals().update(e.withHealth(status, error, now));
                return null;
            });
        }
    }
}
