package io.stratum.testkit.fakes;

import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.OsUsers;
import io.stratum.core.instance.Instance;
import io.stratum.core.network.Cidr;
import io.stratum.core.port.Placement;
import io.stratum.core.user.UserCredentials;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instances placed nowhere: their directories are a set of names, their disk use a number the test sets. Calls are
 * recorded (and can fail) in {@link #faults()} like {@link FakeEngine}'s.
 */
public final class FakePlacement implements Placement {
    private final Faults faults = new Faults();
    private final Set<String> directories = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> used = new ConcurrentHashMap<>();
    private final Set<Integer> takenPorts = ConcurrentHashMap.newKeySet();
    private final Path root;

    /** {@code root}: where contexts say instances live (nothing is written there). */
    public FakePlacement(Path root) {
        this.root = root;
    }

    public Faults faults() {
        return faults;
    }

    public boolean hasDirectories(String instance) {
        return directories.contains(instance);
    }

    public void setUsedBytes(String instance, long bytes) {
        used.put(instance, bytes);
    }

    /** Another process listens on {@code port}. */
    public void takePort(int port) {
        takenPorts.add(port);
    }

    @Override
    public InstanceContext context(Instance instance, String masterPassword, String adminSecret, List<Cidr> ingress,
                                   List<UserCredentials> users) {
        return new InstanceContext(instance.spec(), root.resolve(instance.name()), root.resolve("templates"), "127.0.0.1", "127.0.0.1",
                OsUsers.self("stratum-test"), masterPassword, adminSecret, ingress, users);
    }

    @Override
    public void createDirectories(InstanceContext ctx) {
        faults.call("createDirectories", ctx.spec().name());
        directories.add(ctx.spec().name());
    }

    @Override
    public void removeDirectories(InstanceContext ctx) {
        faults.call("removeDirectories", ctx.spec().name());
        directories.remove(ctx.spec().name());
    }

    @Override
    public long usedBytes(InstanceContext ctx) {
        return used.getOrDefault(ctx.spec().name(), 1L << 20);
    }

    @Override
    public boolean portFree(int port, boolean publicAccess) {
        return !takenPorts.contains(port);
    }

    @Override
    public void validateName(String name) {}

    @Override
    public String endpointHost() {
        return "127.0.0.1";
    }

    @Override
    public long usableBytes() {
        return 1L << 40;
    }

    @Override
    public boolean leavesHeadroom(long bytes) {
        return bytes <= usableBytes() - (1L << 30);
    }

    @Override
    public boolean isolatesInstances() {
        return true;
    }

    @Override
    public OsUsers osUsers(String name) {
        return OsUsers.self("stratum-test");
    }
}
