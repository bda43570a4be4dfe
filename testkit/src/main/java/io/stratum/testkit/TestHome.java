package io.stratum.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A STRATUM_HOME for tests that run engines: under /tmp, traversable by the 'stratum' engine user (JUnit's @TempDir is
 * 0700). {@link #close()} kills every engine process whose pid file lives under it, then removes it.
 */
public final class TestHome implements AutoCloseable {
    private final Path root;

    private TestHome(Path root) {
        this.root = root;
    }

    public static TestHome create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
            return new TestHome(dir);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public Path root() {
        return root;
    }

    /** Pids recorded by engines under this home (postmaster.pid, run/*.pid). */
    public List<Long> enginePids() {
        List<Long> pids = new ArrayList<>();
        Path instances = root.resolve("instances");
        if (!Files.isDirectory(instances)) return pids;
        try (Stream<Path> files = Files.walk(instances, 3)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".pid")).toList()) {
                try {
                    String first = Files.readAllLines(f).stream().findFirst().orElse("").trim();
                    if (!first.isEmpty()) pids.add(Long.parseLong(first));
                } catch (IOException | NumberFormatException ignored) {
                    // being rewritten
                }
            }
        } catch (IOException ignored) {
            // nothing to find
        }
        return pids;
    }

    /** The per-instance OS users (st-*) that own this home's instance data directories. */
    public List<String> instanceUsers() {
        List<String> users = new ArrayList<>();
        Path instances = root.resolve("instances");
        if (!Files.isDirectory(instances)) return users;
        try (Stream<Path> dirs = Files.list(instances)) {
            for (Path d : dirs.toList()) {
                try {
                    String owner = Files.getOwner(d.resolve("data"), java.nio.file.LinkOption.NOFOLLOW_LINKS).getName();
                    if (owner.startsWith("st-")) users.add(owner);
                } catch (IOException ignored) {
                    // no data directory
                }
            }
        } catch (IOException ignored) {
            // nothing to find
        }
        return users;
    }

    @Override
    public void close() {
        List<String> users = instanceUsers();
        for (long pid : enginePids()) ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        try (Stream<Path> s = Files.walk(root)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
        // the home's own nftables table (see ServerOptions.Firewall#tableFor), so that its drop rules leave with it
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256").digest(root.toAbsolutePath().normalize().toString()
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            new ProcessBuilder("nft", "delete", "table", "inet", "stratum_" + java.util.HexFormat.of().formatHex(h, 0, 4))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (IOException | InterruptedException | java.security.NoSuchAlgorithmException ignored) {
            // no nft, or no table: nothing to remove
        }
        for (String user : users) {
            try {
                new ProcessBuilder("userdel", "--force", user).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start().waitFor();
            } catch (IOException | InterruptedException ignored) {
                // best effort: a leftover user owns nothing
            }
        }
    }
}
