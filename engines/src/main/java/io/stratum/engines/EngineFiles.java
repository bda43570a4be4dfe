package io.stratum.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
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

    private static final java.nio.file.attribute.FileAttribute<java.util.Set<java.nio.file.attribute.PosixFilePermission>> PRIVATE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    /**
     * Writes a file the engine reads (mode 0600) and hands it to the engine user. The content goes through the
     * descriptor of a file this call created (O_EXCL, O_NOFOLLOW), is fsynced, the file's owner is changed without
     * following links, and it is renamed over {@code file}: a link planted in the directory is never followed.
     */
    public static void writeOwned(Path file, String content, String owner) {
        writeOwned(file, new java.io.ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), owner);
    }

    /** {@link #writeOwned(Path, String, String)} for content streamed from {@code content}. */
    public static void writeOwned(Path file, java.io.InputStream content, String owner) {
        write(file, content, owner, true);
    }

    /**
     * As {@link #writeOwned}, root's and not flushed to disk: a scratch copy that a crash makes worthless anyway (a
     * restore that starts again unpacks it again), whose flush would only hold up what reads it next.
     */
    public static void writeScratch(Path file, java.io.InputStream content) {
        write(file, content, null, false);
    }

    private static void write(Path file, java.io.InputStream content, String owner, boolean durable) {
        Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                    LinkOption.NOFOLLOW_LINKS), PRIVATE)) {
                content.transferTo(java.nio.channels.Channels.newOutputStream(ch));
                if (durable) ch.force(true);
            }
            chown(tmp, owner);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp); // e.g. the content failed its integrity check at its end: nothing of it is put in place
            throw e;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // removed with its directory at the latest
        }
    }

    /**
     * Creates {@code file} empty (0600) for {@code owner} unless it is already a regular file; a link in its place is
     * removed first. For files an engine opens itself inside a directory it may not create entries in (its logs).
     */
    public static void ensureOwnedFile(Path file, String owner) {
        try {
            if (Files.isSymbolicLink(file) || Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                deleteTree(file);
            }
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                try (FileChannel ignored = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS), PRIVATE)) {
                    // created empty
                }
            }
            chown(file, owner);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + file, e);
        }
    }

    /** Gives {@code path} (never a link's target: a link is refused) to {@code owner} and its group; null keeps it. */
    public static void chown(Path path, String owner) {
        if (owner == null) return;
        try {
            if (Files.isSymbolicLink(path)) throw new IOException(path + " is a symbolic link; it is not followed");
            UserPrincipalLookupService users = path.getFileSystem().getUserPrincipalLookupService();
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            view.setOwner(users.lookupPrincipalByName(owner));
            view.setGroup(users.lookupPrincipalByGroupName(owner));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot give " + path + " to user " + owner + ": " + e.getMessage(), e);
        }
    }

    /** Gives a whole tree to {@code owner} ({@code chown -R}, which never follows links inside the tree). */
    public static void chownTree(ToolRunner tools, Path dir, String owner) {
        if (owner == null) return;
        tools.self(List.of("chown", "-R", "-P", "-h", owner + ":" + owner, dir.toString()), null, null, Duration.ofMinutes(30));
    }

    /**
     * Whether {@code bytes} more may be written on a file system with {@code usable} of {@code total} bytes free for
     * something Stratum can do without (a dump's scratch copy, a spare data directory): at least 1 GiB and a tenth of
     * the file system must stay free, so that it never takes the space an instance writes to.
     */
    public static boolean leavesHeadroom(long bytes, long usable, long total) {
        return usable - bytes >= Math.max(1L << 30, total / 10);
    }

    /** {@link #leavesHeadroom} for the file system holding {@code dir}; false when its space cannot be read. */
    public static boolean roomFor(Path dir, long bytes) {
        try {
            java.nio.file.FileStore fs = Files.getFileStore(dir);
            return leavesHeadroom(bytes, fs.getUsableSpace(), fs.getTotalSpace());
        } catch (IOException e) {
            return false;
        }
    }

    /** The numeric owner of {@code path} (not following a link), or -1 when it does not exist. */
    public static int uidOf(Path path) {
        try {
            return (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** The pid in the first line of {@code pidFile} (not followed if it is a link), or -1. */
    public static long readPid(Path pidFile) {
        try (var in = Files.newInputStream(pidFile, LinkOption.NOFOLLOW_LINKS)) {
            String text = new String(in.readNBytes(64), StandardCharsets.US_ASCII);
            String first = text.lines().findFirst().orElse("").trim();
            return first.isEmpty() ? -1 : Long.parseLong(first);
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    /**
     * What a recorded pid says: no pid file (-1) is stopped; a dead or zombie process, or one that does not belong to
     * the owner of {@code engineFiles} (a stale pid reused by another process, or a pid file pointing elsewhere), crashed.
     */
    public static io.stratum.core.engine.ProcessState state(long pid, Path engineFiles) {
        if (pid < 0) return io.stratum.core.engine.ProcessState.STOPPED;
        return alive(pid) && ownedBy(pid, uidOf(engineFiles)) ? io.stratum.core.engine.ProcessState.RUNNING
                : io.stratum.core.engine.ProcessState.DEAD;
    }

    /** True when process {@code pid} runs with real user id {@code uid}. */
    public static boolean ownedBy(long pid, int uid) {
        if (uid < 0) return false;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("Uid:")) return Integer.parseInt(line.substring(4).trim().split("\\s+")[0]) == uid;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
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
    public static void clearStale(Path pidFile, Path socket, Path engineFiles) {
        long pid = readPid(pidFile);
        if (pid > 0 && alive(pid) && ownedBy(pid, uidOf(engineFiles))) throw new ToolException("engine already running (pid " + pid + ")");
        try {
            Files.deleteIfExists(pidFile);
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove stale " + pidFile, e);
        }
    }

    /**
     * Sends SIGTERM and waits for the process to end (engines shut down cleanly on SIGTERM). Only a process owned by
     * the owner of {@code engineFiles} is signalled: a pid file never makes Stratum signal another user's process.
     */
    public static void terminate(long pid, Path engineFiles, Duration timeout, String what) {
        if (!alive(pid)) return;
        if (!ownedBy(pid, uidOf(engineFiles))) {
            throw new ToolException(what + " pid file names process " + pid + ", which does not belong to the instance's user; not signalled");
        }
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (alive(pid)) {
            if (System.nanoTime() > deadline) throw new ToolException(what + " (pid " + pid + ") did not stop within "
                    + timeout.toSeconds() + " s");
            sleep(20);
        }
    }

    /**
     * Keeps a log an engine writes (appending) under {@code maxBytes}: past it, its content is copied to {@code NAME.1}
     * (replacing the previous one; written as root in the root-owned log directory, 0600) and the log is truncated in
     * place, so the engine's open descriptor goes on writing at its start. Links are not followed.
     */
    public static void rotate(Path log, long maxBytes) {
        try {
            if (!Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS) || Files.size(log) <= maxBytes) return;
            try (FileChannel ch = FileChannel.open(log, StandardOpenOption.READ, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
                writeOwned(log.resolveSibling(log.getFileName() + ".1"), java.nio.channels.Channels.newInputStream(ch), null);
                ch.truncate(0);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot roll " + log, e);
        }
    }

    /** How much of a log {@link #tail} reads, from its end. */
    static final int TAIL_BYTES = 64 * 1024;

    /** The last {@code lines} lines of {@code file}, read from its end (at most 64 KiB); a link is not followed. */
    public static List<String> tail(Path file, int lines) {
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            long size = ch.size();
            long from = Math.max(0, size - TAIL_BYTES);
            ch.position(from);
            ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
            while (buf.hasRemaining() && ch.read(buf) > 0) {
                // reading to the end
            }
            List<String> all = new ArrayList<>(new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).lines().toList());
            if (from > 0 && !all.isEmpty()) all.remove(0); // cut mid-line
            return new ArrayList<>(all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    /** The bytes of the regular files under {@code dir} (links not followed); 0 when it does not exist or cannot be read. */
    public static long treeBytes(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
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
