package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.engine.ContractBlock;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.reconcile.Credentials;
import io.stratum.core.validation.ResourceNames;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The per-stage connection contract (TinyStacks' names): {@code PG_*}, {@code MYSQL_*}, {@code REDIS_*},
 * {@code DATABASE_URL}, {@code REDIS_URL}. The first instance of an engine in a stage gets the plain names, later ones
 * are prefixed with their name ({@code ORDERS_PG_HOST}). {@code *_CREDENTIALS_SECRET} is the secret's name, or the
 * password itself when revealed (for the stack's operators and admins only).
 */
public final class ContractService {
    private final Recorder recorder;
    private final SecretService secrets;
    private final String endpointHost;
    private final io.stratum.core.engine.EngineRegistry engines;
    private final String caFile;

    /** {@code caFile}: where Stratum's CA certificate is on this host (clients verify managed instances against it). */
    public ContractService(Recorder recorder, SecretService secrets, String endpointHost, io.stratum.core.engine.EngineRegistry engines,
                           String caFile) {
        this.recorder = recorder;
        this.secrets = secrets;
        this.endpointHost = endpointHost;
        this.engines = engines;
        this.caFile = caFile;
    }

    public Map<String, String> env(Principal p, String stack, String stage, boolean reveal) {
        return env(p, stack, stage, reveal, null);
    }

    /**
     * The contract; with {@code user}, in a managed user's name instead of the master user's: only the stage's instances
     * that have that user, each with its database and secret.
     */
    public Map<String, String> env(Principal p, String stack, String stage, boolean reveal, String user) {
        ResourceNames.require("stack", stack);
        ResourceNames.require("stage", stage);
        if (!p.canRead(stack)) throw new NotFoundException("stage '" + stack + "/" + stage + "' does not exist (see 'stratum stage list')");
        if (reveal) p.requireWrite(stack, "reveal passwords");
        List<Entry> entries = recorder.store().read(tx -> {
            tx.stages().find(stack, stage).orElseThrow(() -> new NotFoundException("stage '" + stack + "/" + stage
                    + "' does not exist (see 'stratum stage list')"));
            List<Entry> all = new java.util.ArrayList<>();
            List<io.stratum.core.instance.Instance> inStage = tx.instances().list().stream()
                    .filter(i -> stack.equals(i.spec().stack()) && stage.equals(i.spec().stage())).toList();
            // a read replica is not a database of its own in the contract: its source's block names it as the reader
            inStage.stream().filter(i -> !i.spec().isReplica()).forEach(i -> {
                Integer reader = readerPort(i.name(), inStage);
                if (user == null) {
                    all.add(new Entry(i.spec(), endpointHost, i.spec().port(), i.createdAt(), i.spec().masterUser(),
                            i.spec().database(), Credentials.masterSecret(i.spec()), tlsCa(i.spec()), reader));
                } else {
                    tx.users().find(i.name(), user).ifPresent(u -> all.add(new Entry(i.spec(), endpointHost, i.spec().port(),
                            i.createdAt(), u.name(), u.database() == null ? i.spec().database() : u.database(),
                            Credentials.userSecret(i.spec(), u.name()), tlsCa(i.spec()), reader)));
                }
            });
            if (user == null) {
                tx.externals().list().stream().filter(e -> stack.equals(e.stack()) && stage.equals(e.stage())).forEach(e -> {
                    InstanceSpec spec = ExternalService.spec(e);
                    // the provider's certificate is not Stratum's: its CA is the one given at registration, or the system's
                    all.add(new Entry(spec, e.contractHost(), e.contractPort(), e.createdAt(), e.user(), e.database(),
                            Credentials.masterSecret(spec), null, null));
                });
            }
            return all;
        }).stream().sorted(Comparator.comparing(Entry::createdAt).thenComparing(e -> e.spec().name())).toList();
        if (user != null && entries.isEmpty()) {
            throw new NotFoundException("no instance in stage '" + stack + "/" + stage + "' has a user '" + user
                    + "' (create one with 'stratum db user create " + user + " --instance NAME')");
        }
        if (reveal) {
            recorder.record(p, tx -> new Recorder.Change<>(null, "stage/" + stack + "/" + stage, stack, "contract.revealed", null));
        }
        Map<String, String> vars = new LinkedHashMap<>();
        Set<String> seenBlocks = new HashSet<>();
        // each URL variable (DATABASE_URL, REDIS_URL) from the first instance of the engine that prefers it most
        Map<String, Map.Entry<Integer, String>> urls = new java.util.TreeMap<>();
        for (Entry entry : entries) {
            InstanceSpec s = entry.spec();
            ContractBlock block = engines.get(s.engine()).contract();
            boolean first = seenBlocks.add(block.prefix());
            String prefix = first ? block.prefix() : s.name().toUpperCase(java.util.Locale.ROOT).replace('-', '_') + "_" + block.prefix();
            String password = reveal ? Credentials.password(secrets.currentValue(entry.secret())) : null;
            vars.put(prefix + "_HOST", entry.host());
            vars.put(prefix + "_PORT", String.valueOf(entry.port()));
            if (entry.readerPort() != null) {
                vars.put(prefix + "_READER_HOST", entry.host());
                vars.put(prefix + "_READER_PORT", String.valueOf(entry.readerPort()));
            }
            vars.put(prefix + "_DATABASE", entry.database());
            if (block.username() || user != null) vars.put(prefix + "_USERNAME", entry.username());
            vars.put(prefix + "_CREDENTIALS_SECRET", reveal ? password : entry.secret());
            if (entry.ca() != null) vars.put(prefix + "_SSLROOTCERT", entry.ca());
            if (first) {
                var current = urls.get(block.urlVariable());
                if (current == null || block.urlPreference() < current.getKey()) {
                    urls.put(block.urlVariable(), Map.entry(block.urlPreference(), url(block, entry, password)));
                }
            }
        }
        urls.forEach((variable, url) -> vars.put(variable, url.getValue())); // in name order: DATABASE_URL, REDIS_URL
        return vars;
    }

    /**
     * {@code scheme://user[:password]@host:port/database}, credentials percent-encoded; with TLS required it says so
     * ({@code sslmode=require}, {@code ssl-mode=REQUIRED}, {@code rediss://}).
     */
    private static String url(ContractBlock block, Entry e, String password) {
        boolean tls = "require".equals(e.spec().tls());
        String userInfo = enc(e.username()) + (password == null ? "" : ":" + enc(password));
        String host = e.host().contains(":") ? "[" + e.host() + "]" : e.host();
        String query = !tls ? "" : e.ca() == null ? block.tlsQuery() : block.verifiedQuery().replace("{ca}", enc(e.ca()));
        return (tls ? block.tlsUrlScheme() : block.urlScheme()) + "://" + userInfo + "@" + host + ":" + e.port() + "/" + enc(e.database())
                + query;
    }

    /** Stratum's CA file for a managed instance that speaks TLS (prefer or require), else null. */
    private String tlsCa(InstanceSpec s) {
        return s.tls() == null || "off".equals(s.tls()) ? null : caFile;
    }

    /**
     * One database in the stage: a managed instance, or an external one (at its provider, or its tunnel's local end), and
     * whose credentials the contract hands out (the master user's, or a managed user's).
     */
    private record Entry(InstanceSpec spec, String host, int port, java.time.Instant createdAt, String username, String database,
                         String secret, String ca, Integer readerPort) {}

    /**
     * The port of {@code source}'s reader: its oldest available read replica (null without one). With several replicas
     * the others are not balanced in yet: the reader is one replica.
     */
    private static Integer readerPort(String source, List<io.stratum.core.instance.Instance> inStage) {
        return inStage.stream().filter(r -> source.equals(r.spec().source()) && r.status() == io.stratum.core.instance.InstanceStatus.AVAILABLE)
                .min(Comparator.comparing(io.stratum.core.instance.Instance::createdAt).thenComparing(io.stratum.core.instance.Instance::name))
                .map(r -> r.spec().port()).orElse(null);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
