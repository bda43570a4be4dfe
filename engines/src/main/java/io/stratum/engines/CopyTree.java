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

    private static List<String> argv(Path from, Path to) {
        return List.of("cp", "-a", "--reflink=auto", from.toString(), to.toString());
    }
}
