package io.stratum.engines.local;

import io.stratum.core.engine.InstanceContext;
import io.stratum.core.engine.OsUsers;
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
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Instances as local processes under {@code STRATUM_HOME/instances/NAME/}. When the control plane runs as root, each
 * instance's engine runs as an OS user of its own ({@link SystemUsers}), created with the instance and removed with it:
 * {@code data/} and {@code run/} (sockets, pid files) belong to that user alone (0700); the instance directory,
 * {@code conf/} and {@code log/} belong to root (0711), so neither the engine nor anyone else can plant a link where
 * Stratum writes as root; the files in them the engine reads or writes are its own (0600). Templates are built by the
 * shared {@code stratum} user and hold no tenant data. Without root, everything runs as the control plane's user and
 * instances are not isolated from each other ({@link #isolatesInstances()}).
 */
public final class LocalPlacement implements Placement {
    private static final Logger LOG = LoggerFactory.getLogger(LocalPlacement.class);
    /** Unix socket paths are limited to 107 bytes; engines put sockets in {@code run/}. */
    static final int MAX_SOCKET_PATH = 107;
    private static final String PRIVATE_DIR = "rwx------";
    private static final String TRAVERSE_ONLY = "rwx--x--x";
    private final Path home;
    private final Path instancesDir;
    private final Path templatesDir;
    private final String advertiseHost;
    private final String controlUser;
    private final boolean root;
    private final SystemUsers systemUsers = new SystemUsers();
    private final ToolRunner tools = new ToolRunner(null);

    public LocalPlacement(Path home, String advertiseHost) {
        this.home = home;
        this.instancesDir = home.resolve("instances");
        this.templatesDir = home.resolve("templates");
        this.advertiseHost = advertiseHost;
        this.controlUser = System.getProperty("user.name");
        this.root = "root".equals(controlUser);
    }

    /**
     * Creates the instances and templates directories and checks that the template user can reach them; refuses a
     * home under a directory it cannot traverse (e.g. /root) with the fix.
     */
    public void prepare() {
        for (Path dir : List.of(instancesDir, templatesDir)) {
            try {
                Files.createDirectories(dir);
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(TRAVERSE_ONLY));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir, e);
            }
        }
        if (!root) return;
        ToolRunner asTemplateUser = new ToolRunner(OsUsers.SHARED);
        var r = asTemplateUser.run(asTemplateUser.asEngineUser(List.of("test", "-x", instancesDir.toString())), null, null,
                Duration.ofSeconds(10), null);
        if (r.exit() != 0) {
            throw new IllegalStateException("the '" + OsUsers.SHARED + "' user cannot reach " + instancesDir + ": engines run as "
                    + "users of their own. Use a home every user can traverse (every parent directory needs o+x), e.g. "
                    + "STRATUM_HOME=/var/lib/stratum");
        }
    }

    @Override
    public boolean isolatesInstances() {
        return root;
    }

    @Override
    public InstanceContext context(Instance instance, String masterPassword, String adminSecret, List<Cidr> ingress,
                                   List<io.stratum.core.user.UserCredentials> users) {
        InstanceSpec s = instance.spec();
        String bind = s.publicAccess() ? "0.0.0.0" : advertiseHost;
        return new InstanceContext(s, instancesDir.resolve(s.name()), templatesDir, bind, advertiseHost, osUsers(s.name()),
                masterPassword, adminSecret, ingress, users);
    }

    /**
     * Who runs the instance: without root, the control plane's user; with root, the owner of its data directory (its
     * own user, or the shared {@code stratum} user for an instance created before per-instance users, until its next
     * start moves it), or the user it will get when it has no data yet.
     */
    @Override
    public OsUsers osUsers(String instance) {
        if (!root) return OsUsers.self(controlUser);
        String engine = ownerOf(instancesDir.resolve(instance).resolve("data"));
        if (engine == null || !(SystemUsers.isInstanceUser(engine) || OsUsers.SHARED.equals(engine))) {
            engine = SystemUsers.nameFor(home, instance);
        }
        return new OsUsers(engine, OsUsers.SHARED.equals(engine) ? null : engine, OsUsers.SHARED, controlUser);
    }

    /**
     * The OS user of its own that instance {@code name}'s engine runs as, when that user exists now; null otherwise (not
     * root, a shared user, or one not made yet or already removed): a rule naming a missing user would make nft refuse
     * the whole table.
     */
    public String existingEngineUser(String name) {
        OsUsers u = osUsers(name);
        if (!u.isolated()) return null;
        try {
            java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName(u.engine());
            return u.engine();
        } catch (IOException e) {
            return null;
        }
    }

    private static String ownerOf(Path p) {
        try {
            return Files.getOwner(p, LinkOption.NOFOLLOW_LINKS).getName();
        } catch (IOException e) {
            return null;
        }
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

    /**
     * Creates (or repairs) the instance's layout and its OS user. An instance of the shared {@code stratum} user (from
     * before per-instance users) moves to its own user here, which its start and reboot plans do while it is stopped.
     */
    @Override
    public void createDirectories(InstanceContext ctx) {
        if (!root) {
            for (Path dir : List.of(ctx.instanceDir(), ctx.dataDir(), ctx.confDir(), ctx.logDir(), ctx.runDir(), ctx.filesDir())) {
                directory(dir, null, PRIVATE_DIR);
            }
            return;
        }
        String user = SystemUsers.isInstanceUser(ctx.engineUser()) ? ctx.engineUser() : SystemUsers.nameFor(home, ctx.spec().name());
        systemUsers.ensure(user);
        systemUsers.killAll(user); // the engine is not running here: any process of its user is a leftover
        if (OsUsers.SHARED.equals(ownerOf(ctx.dataDir()))) {
            LOG.info("moving instance {} from the shared '{}' user to its own user {}", ctx.spec().name(), OsUsers.SHARED, user);
            refuseHardLinks(ctx.instanceDir());
            EngineFiles.chownTree(tools, ctx.instanceDir(), user);
        }
        directory(ctx.instanceDir(), controlUser, TRAVERSE_ONLY);
        directory(ctx.confDir(), controlUser, TRAVERSE_ONLY);
        directory(ctx.logDir(), controlUser, TRAVERSE_ONLY);
        for (Path dir : List.of(ctx.dataDir(), ctx.runDir(), ctx.filesDir())) directory(dir, user, PRIVATE_DIR);
    }

    /** A real directory (a link or file in its place is removed) owned by {@code owner} (null: leave) with {@code mode}. */
    private static void directory(Path dir, String owner, String mode) {
        try {
            if (Files.isSymbolicLink(dir) || Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                EngineFiles.deleteTree(dir);
            }
            if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(PRIVATE_DIR)));
            }
            EngineFiles.chown(dir, owner);
            Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(PosixFilePermissions.fromString(mode));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare " + dir, e);
        }
    }

    /**
     * A file with more than one name in a shared-user instance (a hard link its user made to a file of another instance
     * of that user) would be handed to the new owner by the move: refused instead.
     */
    private void refuseHardLinks(Path dir) {
        String linked = tools.self(List.of("find", dir.toString(), "-xdev", "!", "-type", "d", "-links", "+1", "-print", "-quit"), null, null,
                Duration.ofMinutes(10)).stdout().strip();
        if (!linked.isEmpty()) {
            throw new IllegalStateException("instance directory " + dir + " holds a file with several names (" + linked + "): not moved to "
                    + "an OS user of its own; remove the extra link and start it again");
        }
    }

    /**
     * Removes everything the instance had on disk, then its OS user; idempotent. Every process of that user is killed
     * first, its own directories are removed by that user (a link it planted is never followed by root), and the rest
     * (root's directories) by root. A user that cannot be removed fails the deletion, so that its uid is never reused
     * while something of it may remain.
     */
    @Override
    public void removeDirectories(InstanceContext ctx) {
        if (root && ctx.engineUser() != null && Files.isDirectory(ctx.instanceDir(), LinkOption.NOFOLLOW_LINKS)) {
            if (SystemUsers.isInstanceUser(ctx.engineUser())) systemUsers.killAll(ctx.engineUser());
            removeAsOwner(ctx, ctx.dataDir(), ctx.runDir(), ctx.filesDir(), ctx.dataDir().resolveSibling("data.copy"),
                    ctx.instanceDir().resolve("backup.d"));
        }
        EngineFiles.deleteTree(ctx.instanceDir());
        if (root && SystemUsers.isInstanceUser(ctx.engineUser())) systemUsers.remove(ctx.engineUser());
    }

    /**
     * Deletes directories the engine's user owns as that user ({@code rm -rf --one-file-system}); what it cannot delete
     * is left for root, once no process of that user runs.
     */
    private static void removeAsOwner(InstanceContext ctx, Path... dirs) {
        ToolRunner asOwner = new ToolRunner(ctx.engineUser());
        List<String> argv = new java.util.ArrayList<>(List.of("rm", "-rf", "--one-file-system", "--"));
        for (Path d : dirs) argv.add(d.toString());
        asOwner.run(asOwner.asEngineUser(argv), null, null, Duration.ofMinutes(30), null);
    }

    @Override
    public long usedBytes(InstanceContext ctx) {
        return EngineFiles.treeBytes(ctx.dataDir());
    }

    @Override
    public boolean portFree(int port, boolean publicAccess) {
        try (ServerSocket s = new ServerSocket()) {
            // as the engines bind: a listener anywhere on the port refuses it, connections of a stopped engine still in
            // TIME_WAIT do not (without SO_REUSEADDR every reboot after a TCP client would look like a taken port)
            s.setReuseAddress(true);
            InetAddress addr = publicAccess ? InetAddress.getByName("0.0.0.0") : InetAddress.getByName(advertiseHost);
            s.bind(new InetSocketAddress(addr, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public boolean leavesHeadroom(long bytes) {
        return EngineFiles.roomFor(instancesDir, bytes);
    }

    @Override
    public long usableBytes() {
        try {
            return Files.getFileStore(instancesDir).getUsableSpace();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the free space of " + instancesDir, e);
        }
    }

    @Override
    public String endpointHost() {
        return advertiseHost;
    }
}
