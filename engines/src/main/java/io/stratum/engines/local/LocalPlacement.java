package io.stratum.engines.local;

import io.stratum.core.engine.InstanceContext;
import io.stratum.core.error.ValidationException;
import io.stratum.core.instance.Instance;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.network.Cidr;
import io.stratum.core.port.Placement;
import io.stratum.engines.EngineFiles;
import io.stratum.engines.ToolRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Instances as local processes under {@code STRATUM_HOME/instances/NAME/{data,conf,log,run}}. When the control plane
 * runs as root, engines run as the {@code stratum} system user and their directories belong to it.
 */
public final class LocalPlacement implements Placement {
    /** Unix socket paths are limited to 107 bytes; engines put sockets in {@code run/}. */
    static final int MAX_SOCKET_PATH = 107;
    private final Path instancesDir;
    private final Path templatesDir;
    private final String advertiseHost;
    private final String engineUser;
    private final String controlUser;

    public LocalPlacement(Path home, String advertiseHost) {
        this.instancesDir = home.resolve("instances");
        this.templatesDir = home.resolve("templates");
        this.advertiseHost = advertiseHost;
        this.controlUser = System.getProperty("user.name");
        this.engineUser = "root".equals(controlUser) ? "stratum" : null;
    }

    /**
     * Creates the instances and templates directories and checks that the engine user can reach them; refuses a
     * home under a directory it cannot traverse (e.g. /root) with the fix.
     */
    public void prepare() {
        for (Path dir : List.of(instancesDir, templatesDir)) {
            try {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir, e);
            }
        }
        if (engineUser == null) return;
        ToolRunner tools = new ToolRunner(engineUser);
        List<String> argv = new java.util.ArrayList<>(tools.asEngineUser());
        argv.addAll(List.of("test", "-x", instancesDir.toString()));
        var r = tools.run(argv, null, null, Duration.ofSeconds(10), null);
        if (r.exit() != 0) {
            throw new IllegalStateException("the '" + engineUser + "' user cannot reach " + instancesDir + ": engines run as that "
                    + "user. Use a home it can traverse (every parent directory needs o+x), e.g. STRATUM_HOME=/var/lib/stratum");
        }
    }

    @Override
    public InstanceContext context(Instance instance, String masterPassword, String adminSecret, List<Cidr> ingress) {
        InstanceSpec s = instance.spec();
        String bind = s.publicAccess() ? "0.0.0.0" : advertiseHost;
        return new InstanceContext(s, instancesDir.resolve(s.name()), templatesDir, bind, advertiseHost, engineUser, controlUser,
                masterPassword, adminSecret, ingress);
    }

    /** Refuses names whose engine sockets would not fit the unix socket path limit. */
    @Override
    public void validateName(String name) {
        int longest = instancesDir.resolve(name).resolve("run").resolve(".s.PGSQL.65535.lock").toString().length();
        if (longest > MAX_SOCKET_PATH) {
            throw ValidationException.of("name", "'" + name + "' makes engine socket paths under " + instancesDir + " longer than "
                    + MAX_SOCKET_PATH + " bytes: use a shorter name or a shorter STRATUM_HOME");
        }
    }

    @Override
    public void createDirectories(InstanceContext ctx) {
        try {
            Files.createDirectories(ctx.instanceDir());
            Files.setPosixFilePermissions(ctx.instanceDir(), PosixFilePermissions.fromString("rwx------"));
            EngineFiles.chown(ctx.instanceDir(), engineUser);
            for (Path dir : List.of(ctx.dataDir(), ctx.confDir(), ctx.logDir(), ctx.runDir())) {
                if (!Files.exists(dir)) {
                    Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                }
                EngineFiles.chown(dir, engineUser);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the directories of " + ctx.spec().name(), e);
        }
    }

    @Override
    public void removeDirectories(InstanceContext ctx) {
        EngineFiles.deleteTree(ctx.instanceDir());
    }

    @Override
    public long usedBytes(InstanceContext ctx) {
        if (!Files.isDirectory(ctx.dataDir())) return 0;
        try (Stream<Path> files = Files.walk(ctx.dataDir())) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException gone) {
                    return 0;
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    @Override
    public boolean portFree(int port, boolean publicAccess) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            InetAddress addr = publicAccess ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(advertiseHost);
            s.bind(new InetSocketAddress(addr, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String endpointHost() {
        return advertiseHost;
    }
}
