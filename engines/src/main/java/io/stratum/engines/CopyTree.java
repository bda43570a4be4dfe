package io.stratum.engines;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code cp -a}: copies a directory tree keeping owners and modes (template → new data directory). */
public final class CopyTree {
    private final ToolRunner tools;

    public CopyTree(ToolRunner tools) {
        this.tools = tools;
    }

    public void copy(Path from, Path to) {
        tools.self(argv(from, to), null, null, Duration.ofMinutes(5));
    }

    /** {@link #copy} at the lowest CPU and I/O priority: for work done ahead of need, behind everything else. */
    public void copyWhenIdle(Path from, Path to) {
        List<String> argv = new java.util.ArrayList<>(List.of("nice", "-n", "19", "ionice", "-c", "3"));
        argv.addAll(argv(from, to));
        tools.self(argv, null, null, Duration.ofMinutes(5));
    }

    /**
     * Flushes a copied tree to disk: {@code sync} of each of its files and directories (fsync), at the lowest I/O
     * priority. Only this tree's data is written out, never the whole file system's ({@code sync -f} would also force
     * out everything other instances and a restore being unpacked have in the page cache, and make them wait for it).
     * Only directories and regular files are named (a link is not followed), and {@code sync} opens what it flushes
     * without blocking, so a FIFO swapped in by an engine user that owns the tree cannot hold it up. A file removed
     * while the tree is listed is skipped.
     */
    public void flush(Path tree) {
        if (!java.nio.file.Files.isDirectory(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("cannot flush " + tree + ": it is not a directory");
        }
        List<String> argv = new java.util.ArrayList<>(List.of("ionice", "-c", "3", "sync", "--"));
        int named = argv.size();
        try {
            java.nio.file.Files.walkFileTree(tree, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                    argv.add(dir.toString());
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                    if (a.isRegularFile()) argv.add(file.toString()); // links, FIFOs, sockets: nothing of the copy to flush
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, java.io.IOException e) {
                    return java.nio.file.FileVisitResult.CONTINUE; // removed while listed
                }
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot list " + tree + " to flush it: " + e.getMessage(), e);
        }
        if (argv.size() == named) return; // sync without names would flush every file system
        ToolRunner.Result r = tools.run(argv, null, null, Duration.ofMinutes(5), null);
        if (r.exit() != 0 && !r.stderr().contains("No such file")) {
            throw new IllegalStateException("sync of " + tree + " failed: " + r.stderr().strip());
        }
    }

    private static List<String> argv(Path from, Path to) {
        return List.of("cp", "-a", "--reflink=auto", from.toString(), to.toString());
    }
}
