package io.stratum.engines.firewall;

import io.stratum.engines.ToolRunner;
import java.time.Duration;
import java.util.List;

/** The {@code nft} tool: scripts on stdin (one transaction per script), listings of one table. */
final class Nft {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private final ToolRunner tools = new ToolRunner(null);
    private final String command;

    Nft(String command) {
        this.command = command;
    }

    /** Applies {@code script} atomically: either all of it takes effect or none. */
    void apply(String script) {
        tools.self(List.of(command, "-f", "-"), null, script, TIMEOUT);
    }

    /** The table's listing, or null when it does not exist. */
    String list(String family, String table) {
        ToolRunner.Result r = tools.run(List.of(command, "list", "table", family, table), null, null, TIMEOUT, null);
        return r.exit() == 0 ? r.stdout() : null;
    }

    /** Runs {@code nft list tables}; throws with nft's message when nft cannot run or lacks privileges. */
    void probe() {
        tools.self(List.of(command, "list", "tables"), null, null, TIMEOUT);
    }
}
