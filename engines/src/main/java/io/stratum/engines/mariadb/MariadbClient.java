package io.stratum.engines.mariadb;

import io.stratum.engines.ToolRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The {@code mariadb} client as Stratum's admin: run as the OS user the runner names, over the instance's socket,
 * authenticated by the unix_socket plugin (no password exists for it). SQL always on stdin.
 */
final class MariadbClient {
    private final ToolRunner tools;
    private final String adminUser;

    MariadbClient(ToolRunner tools, String adminUser) {
        this.tools = tools;
        this.adminUser = adminUser;
    }

    String admin(Path socket, String sql) {
        return tools.engine(List.of("mariadb", "--no-defaults", "--batch", "--skip-column-names", "--socket=" + socket,
                "--user=" + adminUser), null, sql, Duration.ofSeconds(120)).stdout();
    }
}
