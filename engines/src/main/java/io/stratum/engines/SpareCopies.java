package io.stratum.engines;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One spare copy of each template's data directory, made in the background after a create takes it, so that the next
 * create of that engine version renames a directory instead of copying one (the copy of PostgreSQL's ~46 MB template was
 * about half of a create). A spare is complete or absent: it is copied aside ({@code .spare.tmp}), flushed to disk, then
 * renamed into place, and a leftover of an interrupted copy is removed, never used. It lives beside its template, owned
 * by the control plane's user, so no engine user can change it before a create hands it over. It is made only while the
 * disk keeps its headroom ({@link EngineFiles#leavesHeadroom}): a spare never takes the space instances write to.
 */
final class SpareCopies {
    private static final Logger LOG = LoggerFactory.getLogger(SpareCopies.class);
    private static final Set<Path> MAKING = ConcurrentHashMap.newKeySet();
    /** Templates whose spares cannot be renamed into instances (another file system): none is made for them again. */
    private static final Set<Path> UNUSABLE = ConcurrentHashMap.newKeySet();

    private SpareCopies() {}

    /** Where the spare of {@code template} (a template's data directory) lives. */
    static Path spareOf(Path template) {
        return template.resolveSibling(template.getFileName() + ".spare");
    }

    /** Moves the spare of {@code template} to {@code to} (which must not exist): false when there is none to take. */
    static boolean take(Path template, Path to) {
        try {
            Files.move(spareOf(template), to, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (NoSuchFileException none) {
            return false;   // not made yet, or another create took it
        } catch (AtomicMoveNotSupportedException otherFileSystem) {
            LOG.info("spare copies of {} are not made: instances are on another file system", template);
            UNUSABLE.add(template);
            EngineFiles.deleteTree(spareOf(template));
            return false;
        } catch (IOException e) {
            LOG.warn("cannot take the spare copy of {}: {}", template, e.toString());
            return false;
        }
    }

    /** Starts making the spare of {@code template} in the background unless one exists or is being made. */
    static void refill(ToolRunner tools, Path template) {
        Path spare = spareOf(template);
        if (UNUSABLE.contains(template) || Files.exists(spare, LinkOption.NOFOLLOW_LINKS) || !MAKING.add(template)) return;
        Thread t = new Thread(() -> {
            try {
                make(tools, template, spare);
            } finally {
                MAKING.remove(template);
            }
        }, "spare-" + template.getParent().getFileName());
        t.setDaemon(true);
        t.start();
    }

    /** Removes what interrupted attempts left beside {@code spare} ({@code NAME.spare.tmp-*}); never used, only removed. */
    private static void removeLeftovers(Path spare) throws IOException {
        String prefix = spare.getFileName() + ".tmp";
        try (Stream<Path> siblings = Files.list(spare.getParent())) {
            for (Path p : siblings.filter(p -> p.getFileName().toString().startsWith(prefix)).toList()) EngineFiles.deleteTree(p);
        }
    }

    /** Whether a spare of {@code template} is being made now. */
    static boolean making(Path template) {
        return MAKING.contains(template);
    }

    private static void make(ToolRunner tools, Path template, Path spare) {
        // a name of this attempt's own: a copy left running by a server that stopped writes elsewhere
        Path tmp = spare.resolveSibling(spare.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            removeLeftovers(spare);
            if (!EngineFiles.roomFor(template, sizeOf(template))) {
                LOG.info("no spare copy of {}: the disk would keep less than 1 GiB and a tenth of it free", template);
                return;
            }
            // at the lowest priority: the create that just took the spare, and what its user does next, come first
            new CopyTree(tools).copyWhenIdle(template, tmp);
            new CopyTree(tools).flushOwn(tmp);   // whole after a crash
            Files.move(tmp, spare, StandardCopyOption.ATOMIC_MOVE);
        } catch (RuntimeException | IOException e) {
            LOG.warn("no spare copy of {}: {}", template, e.toString());
            EngineFiles.deleteTree(tmp);
        }
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot measure " + dir, e);
        }
    }
}
