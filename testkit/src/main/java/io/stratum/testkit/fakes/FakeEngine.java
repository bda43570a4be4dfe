package io.stratum.testkit.fakes;

import io.stratum.core.backup.TableStat;
import io.stratum.core.engine.Capability;
import io.stratum.core.engine.EngineProvider;
import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.ProcessState;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.ParamSpec;
import io.stratum.core.instance.ParameterCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An engine that lives in memory: each instance is a running flag and a few tables with row counts. Its dump is those
 * tables as text and its restore reads them back, so backups, restores and drills work end to end without a database.
 * Every lifecycle call is recorded in {@link #faults()} under its method's name, where failures can be injected.
 */
public final class FakeEngine implements EngineProvider {
    public static final String NAME = "fake";
    private final Faults faults = new Faults();
    private final Map<String, Boolean> running = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Long>> tables = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> live = new ConcurrentHashMap<>();

    public Faults faults() {
        return faults;
    }

    /** Puts {@code rows} rows in {@code table} of {@code instance} (the tenant's data). */
    public void write(String instance, String table, long rows) {
        tables.computeIfAbsent(instance, k -> new TreeMap<>()).put(table, rows);
    }

    public Map<String, Long> tables(String instance) {
        return Map.copyOf(tables.getOrDefault(instance, Map.of()));
    }

    public boolean running(String instance) {
        return running.getOrDefault(instance, false);
    }

    private final java.util.Set<String> misreported = ConcurrentHashMap.newKeySet();

    /** The engine keeps running and answering, but its process looks dead (its pid file names another process). */
    public void misreport(String instance) {
        misreported.add(instance);
    }

    /** Stops an instance behind the control plane's back (a crash of the engine). */
    public void kill(String instance) {
        running.put(instance, false);
    }

    private String call(String method, InstanceContext ctx) {
        String name = ctx.spec().name();
        faults.call(method, name);
        return name;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Map<String, String> aliases() {
        return Map.of();
    }

    @Override
    public List<String> versions() {
        return List.of("1");
    }

    @Override
    public int defaultPort() {
        return 7999;
    }

    @Override
    public Set<Capability> capabilities() {
        return java.util.EnumSet.of(Capability.BACKUP, Capability.STAGED_RESTORE, Capability.LIVE_PARAMS, Capability.MANAGED_USERS,
                Capability.BULK_LOAD);
    }

    @Override
    public io.stratum.core.engine.ContractBlock contract() {
        return new io.stratum.core.engine.ContractBlock("FAKE", "fake", "fakes", "", "?ca={ca}", "FAKE_URL", 0, true);
    }

    /** "Connects" by printing where it would connect, and whether it got a password. */
    @Override
    public io.stratum.core.engine.ClientCommand client() {
        return new io.stratum.core.engine.ClientCommand(List.of("sh", "-c", "echo \"fake client: $FAKE_TARGET, password given: ${FAKE_PASSWORD:+yes}\""),
                Map.of("FAKE_TARGET", "{user}@{host}:{port}/{database}"), "FAKE_PASSWORD", List.of(), Map.of("FAKE_CA", "{ca}"));
    }

    @Override
    public java.util.Optional<String> externalDefaultDatabase() {
        return java.util.Optional.empty();
    }

    @Override
    public List<String> features() {
        return List.of("live-params");
    }

    @Override
    public ParameterCatalog parameters() {
        return new ParameterCatalog(List.of(ParamSpec.integer("max_things", 1, 1000, true, "a setting applied live"),
                ParamSpec.integer("buffer_things", 1, 1000, false, "a setting that needs a restart")));
    }

    @Override
    public Map<String, String> settings(InstanceSpec spec) {
        Map<String, String> s = new TreeMap<>();
        s.put("memory", String.valueOf(spec.instanceClass().memoryMib));
        s.putAll(spec.params());
        return s;
    }

    @Override
    public void prepareData(InstanceContext ctx) {
        tables.putIfAbsent(call("prepareData", ctx), new TreeMap<>());
    }

    @Override
    public void writeConfig(InstanceContext ctx) {
        bulkLoading.remove(call("writeConfig", ctx));
    }

    /** Instances whose settings are the bulk-load ones (PostgreSQL's bulk-load.conf), and those running with them. */
    private final java.util.Set<String> bulkLoading = ConcurrentHashMap.newKeySet();
    private final java.util.Set<String> runningBulkLoading = ConcurrentHashMap.newKeySet();

    /** Whether {@code instance} has its bulk-load settings, or runs with them. */
    public boolean bulkLoading(String instance) {
        return bulkLoading.contains(instance) || running(instance) && runningBulkLoading.contains(instance);
    }

    @Override
    public void beginBulkLoad(InstanceContext ctx) {
        String name = call("beginBulkLoad", ctx);
        bulkLoading.add(name);
        if (running(name) && !runningBulkLoading.contains(name)) {
            stop(ctx);
            start(ctx);
        }
    }

    /** As PostgreSQL's: the settings dropped, then an engine running with them stopped and started (calls of their own). */
    @Override
    public void endBulkLoad(InstanceContext ctx) {
        bulkLoading.remove(call("endBulkLoad", ctx));
        if (running(ctx.spec().name()) && runningBulkLoading.contains(ctx.spec().name())) {
            stop(ctx);
            start(ctx);
        }
    }

    @Override
    public void start(InstanceContext ctx) {
        String name = call("start", ctx);
        running.put(name, true);
        if (bulkLoading.contains(name)) runningBulkLoading.add(name);
        else runningBulkLoading.remove(name);
    }

    @Override
    public void stop(InstanceContext ctx) {
        running.put(call("stop", ctx), false);
    }

    @Override
    public ProcessState observe(InstanceContext ctx) {
        if (misreported.contains(ctx.spec().name())) return ProcessState.DEAD;
        return running(ctx.spec().name()) ? ProcessState.RUNNING : ProcessState.STOPPED;
    }

    @Override
    public void bootstrap(InstanceContext ctx) {
        requireRunning(call("bootstrap", ctx));
    }

    @Override
    public void applyUsers(InstanceContext ctx) {
        requireRunning(call("applyUsers", ctx));
    }

    @Override
    public void dropUser(InstanceContext ctx, String name) {
        requireRunning(call("dropUser", ctx));
    }

    @Override
    public void verifyConnection(InstanceContext ctx) {
        requireRunning(call("verifyConnection", ctx));
    }

    @Override
    public void applyLive(InstanceContext ctx, Set<String> changedNames) {
        String name = call("applyLive", ctx);
        Map<String, String> values = live.computeIfAbsent(name, k -> new ConcurrentHashMap<>());
        Map<String, String> settings = settings(ctx.spec());
        for (String n : changedNames) values.put(n, settings.get(n));
    }

    @Override
    public Map<String, String> readLive(InstanceContext ctx, Set<String> names) {
        Map<String, String> values = live.getOrDefault(ctx.spec().name(), Map.of());
        Map<String, String> out = new TreeMap<>();
        for (String n : names) if (values.containsKey(n)) out.put(n, values.get(n));
        return out;
    }

    @Override
    public void applyIngress(InstanceContext ctx) {
        call("applyIngress", ctx);
    }

    @Override
    public List<String> observeIngress(InstanceContext ctx) {
        return ctx.ingress().stream().map(c -> "admit " + c).toList();
    }

    @Override
    public List<TableStat> dump(InstanceContext ctx, OutputStream out) {
        String name = call("dump", ctx);
        requireRunning(name);
        StringBuilder text = new StringBuilder();
        tables(name).forEach((t, rows) -> text.append(t).append('=').append(rows).append('\n'));
        try {
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stats(name);
    }

    @Override
    public List<TableStat> tableStats(InstanceContext ctx, List<TableStat> expected) {
        return stats(call("tableStats", ctx));
    }

    private List<TableStat> stats(String instance) {
        List<TableStat> out = new ArrayList<>();
        tables(instance).forEach((t, rows) -> out.add(new TableStat(t, rows, "sum-" + rows)));
        return out;
    }

    @Override
    public void emptyDatabase(InstanceContext ctx) {
        tables.put(call("emptyDatabase", ctx), new TreeMap<>());
    }

    @Override
    public void restore(InstanceContext ctx, InputStream in) {
        String name = call("restore", ctx);
        requireRunning(name);
        load(name, parse(in));
    }

    /** Dumps read completely and waiting for their load, by instance. */
    private final Map<String, Map<String, Long>> staged = new ConcurrentHashMap<>();

    /** What is staged for {@code instance} (empty when nothing is). */
    public Map<String, Long> staged(String instance) {
        return Map.copyOf(staged.getOrDefault(instance, Map.of()));
    }

    @Override
    public void stageDump(InstanceContext ctx, InputStream in) {
        String name = call("stageDump", ctx);
        staged.remove(name);
        staged.put(name, parse(in)); // only once the whole dump (and so its check at the end) has been read
    }

    @Override
    public void discardStaged(InstanceContext ctx) {
        staged.remove(call("discardStaged", ctx));
    }

    @Override
    public void restoreStaged(InstanceContext ctx) {
        String name = call("restoreStaged", ctx);
        requireRunning(name);
        Map<String, Long> dump = staged.remove(name);
        if (dump == null) throw new IllegalStateException("fake engine " + name + ": nothing staged to load");
        load(name, dump);
    }

    private static Map<String, Long> parse(InputStream in) {
        try {
            Map<String, Long> dump = new TreeMap<>();
            new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).forEach(l -> {
                String[] kv = l.split("=", 2);
                dump.put(kv[0], Long.parseLong(kv[1]));
            });
            return dump;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void load(String name, Map<String, Long> dump) {
        if (!tables(name).isEmpty()) throw new IllegalStateException("fake engine " + name + ": restore into a database that has tables");
        tables.put(name, new TreeMap<>(dump));
        faults.call("restored", name); // a crash planned here leaves the data loaded and the step unfinished
    }

    @Override
    public void reloadTls(InstanceContext ctx) {
        call("reloadTls", ctx);
    }

    @Override
    public void setReadOnly(InstanceContext ctx, boolean readOnly) {
        call("setReadOnly", ctx);
    }

    @Override
    public long pid(InstanceContext ctx) {
        return running(ctx.spec().name()) ? 4242 : 0;
    }

    @Override
    public List<String> logTail(InstanceContext ctx, int lines) {
        return List.of("fake engine log");
    }

    @Override
    public void rotateLogs(InstanceContext ctx, long maxBytes) {}

    private void requireRunning(String instance) {
        if (!running(instance)) throw new IllegalStateException("fake engine " + instance + " is not running");
    }
}
