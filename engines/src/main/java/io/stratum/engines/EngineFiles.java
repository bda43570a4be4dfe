package io.stratum.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** File and process helpers shared by the engine providers: owned config files, pid files, liveness, log tails. */
public final class EngineFiles {
    private EngineFiles() {}

    /** Writes a file the engine reads (mode 0600) and hands it to the engine user. */
    public static void writeOwned(Path file, String content, String owner) {
        try {
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            chown(tmp, owner);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void chown(Path path, String owner) {
        if (owner == null) return;
        try {
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            Files.setOwner(path, users.lookupPrincipalByName(owner));
            Files.getFileAttributeView(path, java.nio.file.attribute.PosixFileAttributeView.class)
                    .setGroup(users.lookupPrincipalByGroupName(owner));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to user " + owner, e);
        }
    }

    /** The pid in the first line of {@code pidFile}, or -1. */
    public static long readPid(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) return -1;
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            return first.isEmpty() ? -1 : Long.parseLong(first);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /** What a recorded pid says: no pid file (-1) is stopped, a dead or zombie process crashed. */
    public static io.stratum.core.engine.ProcessState state(long pid) {
        if (pid < 0) return io.stratum.core.engine.ProcessState.STOPPED;
        return alive(pid) ? io.stratum.core.engine.ProcessState.RUNNING : io.stratum.core.engine.ProcessState.DEAD;
    }

    /** Alive means present in /proc and not a zombie (a reaped-late killed engine still shows in kill -0). */
    public static boolean alive(long pid) {
        if (pid <= 0) return false;
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            int close = stat.lastIndexOf(')');
            char state = stat.charAt(close + 2);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** Waits until a unix socket accepts connections (the engine is ready) or the process dies. */
    public static void awaitSocket(Path socket, Duration timeout, java.util.function.LongSupplier pid, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(socket)) {
                try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    ch.connect(UnixDomainSocketAddress.of(socket));
                    return;
                } catch (IOException notYet) {
                    // still starting
                }
            }
            long p = pid.getAsLong();
            if (p > 0 && !alive(p)) throw new ToolException(what + " exited during start-up");
            sleep(10);
        }
        throw new ToolException(what + " did not accept connections on " + socket + " within " + timeout.toSeconds() + " s");
    }

    /** Removes a pid file (and socket) left by an engine that died without cleaning up; refuses if it still runs. */
    public static void clearStale(Path pidFile, Path socket) {
        long pid = readPid(pidFile);
        if (pid > 0 && alive(pid)) throw new ToolException("engine already running (pid " + pid + ")");
        try {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove stale " + pidFile, e);
        }
    }

    /** Sends SIGTERM and waits for the process to end (engines shut down cleanly on SIGTERM). */
    public static void terminate(long pid, Duration timeout, String what) {
        if (!alive(pid)) return;
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid)) {
            if (System.nanoTime() > deadline) throw new ToolException(what + " (pid " + pid + ") did not stop within "
                    + timeout.toSeconds() + " s");
            sleep(20);
        }
    }

    public static List<String> tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) return List.of();
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolException("interrupted");
        }
    }
}
