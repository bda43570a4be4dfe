package io.stratum.engines.mariadb;

import io.stratum.engines.ToolRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code mariadb-install-db}: a fresh data directory whose only admin is the control plane's OS user (unix_socket). */
final class MariadbInstallDb {
    private final ToolRunner tools;

    MariadbInstallDb(ToolRunner tools) {
        this.tools = tools;
    }

    void install(Path dataDir, String adminOsUser) {
        tools.engine(List.of("mariadb-install-db", "--no-defaults", "--datadir=" + dataDir, "--auth-root-authentication-method=socket",
                "--auth-root-socket-user=" + adminOsUser, "--skip-test-db", "--innodb-log-file-size=16M"), null, null, Duration.ofMinutes(2));
    }
}
