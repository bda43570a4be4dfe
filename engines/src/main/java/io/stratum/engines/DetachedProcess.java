package io.stratum.engines;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a long-lived engine process in its own session ({@code setsid}), as the engine user, with output appended to
 * a log file (created 0600 by the control plane in a directory the engine cannot change, see LocalPlacement). It
 * outlives the control plane: killing or upgrading Stratum never stops a database.
 */
public final class DetachedProcess {
    private DetachedProcess() {}

    public static Process start(ToolRunner tools, List<String> argv, Path logFile, Map<String, String> env) {
        List<String> full = new ArrayList<>(List.of("setsid"));
        full.addAll(tools.asEngineUser());
        full.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(full);
        ToolRunner.environment(pb, env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.redirectErrorStream(true);
        EngineFiles.ensureOwnedFile(logFile, null);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        try {
            return pb.start();
        } catch (IOException e) {
            throw new ToolException("cannot start " + argv.get(0) + ": " + e.getMessage());
        }
    }
}
