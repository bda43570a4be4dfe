package io.stratum.engines.redis;

import io.stratum.engines.ToolRunner;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code redis-cli} as Stratum's admin user over the instance's socket, run as the engine's OS user (the socket is in a
 * directory that user owns: root would follow a link planted there); the password goes in REDISCLI_AUTH.
 */
final class RedisCli {
    static final String ADMIN = "stratum-admin";
    private final ToolRunner tools;

    RedisCli(ToolRunner tools) {
        this.tools = tools;
    }

    String admin(Path socket, String adminSecret, String... command) {
        List<String> argv = new ArrayList<>(List.of("redis-cli", "-s", socket.toString(), "--user", ADMIN, "--no-auth-warning"));
        argv.addAll(List.of(command));
        String out = tools.engine(argv, Map.of("REDISCLI_AUTH", adminSecret), null, Duration.ofSeconds(30)).stdout().strip();
        if (out.startsWith("ERR") || out.startsWith("NOPERM") || out.startsWith("WRONGPASS") || out.startsWith("NOAUTH")) {
            throw new io.stratum.engines.ToolException("redis-cli " + command[0] + ": " + out);
        }
        return out;
    }
}
