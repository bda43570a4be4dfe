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
     * Flushes a tree of the control plane's own (a spare copy of a template) to disk; see {@link #flush(ToolRunner, Path)}.
     */
    public void flushOwn(Path tree) {
        flush(new ToolRunner(null), tree);
    }

    /**
     * Flushes an instance's data directory to disk as its engine's OS user (this runner's), who owns it: nothing the
     * tenant plants or swaps in there (a link to a device, a FIFO) is opened with more rights than the tenant has.
     */
    public void flushAsOwner(Path tree) {
        flush(tools, tree);
    }

    /**
     * {@code sync} of each of the tree's directories and regular files (fsync), at the lowest I/O priority: only this
     * tree's data is written out, never the whole file system's ({@code sync -f} would also force out everything other
     * instances and a restore being unpacked have in the page cache, and make them wait for it). {@code find} lists the
     * tree without following links or leaving the file system and hands {@code sync} as many names at a time as an
     * argument list holds; {@code sync} opens what it flushes without blocking, so a FIFO cannot hold it up. A file
     * removed while the tree is flushed is skipped; any other failure is reported.
     */
    private static void flush(ToolRunner as, Path tree) {
        if (!java.nio.file.Files.isDirectory(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException("cannot flush " + tree + ": it is not a directory");
        }
        List<String> argv = as.asEngineUser(List.of("ionice", "-c", "3", "find", tree.toString(), "-xdev", "-ignore_readdir_race",
                "(", "-type", "d", "-o", "-type", "f", ")", "-exec", "sync", "--", "{}", "+"));
        // from / : find returns to its starting directory before each sync, which the engine's user may not enter
        ToolRunner.Result r = as.run(argv, null, null, Duration.ofMinutes(5), Path.of("/"));
        List<String> failures = r.stderr().lines().filter(line -> !removedMeanwhile(line, tree)).toList();
        if (r.exit() != 0 && (failures.size() > 0 || r.stderr().isBlank())) {
            throw new IllegalStateException("flushing " + tree + " to disk failed (exit " + r.exit() + "): "
                    + (failures.isEmpty() ? "no message" : String.join("; ", failures)));
        }
    }

    /** A line of find's or sync's about a file under the tree that was removed after it was listed. */
    static boolean removedMeanwhile(String line, Path tree) {
        if (!line.endsWith(": No such file or directory")) return false;
        for (String prefix : List.of("find: ", "sync: error opening ")) {
            if (!line.startsWith(prefix) || line.length() <= prefix.length()) continue;
            char quote = line.charAt(prefix.length());   // find quotes as the locale does, sync plainly ("" around a ')
            if ((quote == '\'' || quote == '"' || quote == '\u2018') && line.startsWith(tree + "/", prefix.length() + 1)) return true;
        }
        return false;
    }

    private static List<String> argv(Path from, Path to) {
        return List.of("cp", "-a", "--reflink=auto", from.toString(), to.toString());
    }
}
