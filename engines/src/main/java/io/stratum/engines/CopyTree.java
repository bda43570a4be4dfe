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
        tools.self(List.of("cp", "-a", "--reflink=auto", from.toString(), to.toString()), null, null, Duration.ofMinutes(5));
    }
}
