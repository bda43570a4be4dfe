package io.stratum.engines.mariadb;

import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.ParamSpec;
import io.stratum.core.instance.ParameterCatalog;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** MariaDB's parameter allow-list and how a class and parameters render to my.cnf settings (pure). */
final class MariadbSettings {
    static final ParameterCatalog CATALOG = new ParameterCatalog(List.of(
            ParamSpec.integer("max_connections", 10, 100000, true, "maximum concurrent connections"),
            ParamSpec.memoryMb("innodb_buffer_pool_size", 8, 65536, true, "InnoDB data and index cache"),
            ParamSpec.memoryMb("innodb_log_file_size", 4, 4096, false, "redo log size"),
            ParamSpec.memoryMb("max_allowed_packet", 1, 1024, true, "largest packet or row"),
            ParamSpec.real("long_query_time", 0, 3600, true, "slow query threshold in seconds"),
            ParamSpec.bool("slow_query_log", true, "log slow queries"),
            ParamSpec.integer("wait_timeout", 1, 31536000, true, "seconds before an idle connection is closed"),
            ParamSpec.integer("table_open_cache", 10, 1048576, true, "open tables cached"),
            ParamSpec.choice("innodb_flush_log_at_trx_commit", List.of("0", "1", "2"), true, "1 = durable on every commit"),
            ParamSpec.choice("character_set_server", List.of("utf8mb4", "utf8mb3", "latin1"), true, "default character set")));

    /** Settings measured in bytes by the server (rendered in MB with an M suffix). */
    static final Set<String> MEMORY = Set.of("innodb_buffer_pool_size", "innodb_log_file_size", "max_allowed_packet");

    private MariadbSettings() {}

    static Map<String, String> render(InstanceSpec spec) {
        InstanceClass c = spec.instanceClass();
        Map<String, String> s = new TreeMap<>();
        s.put("max_connections", String.valueOf(c.maxConnections));
        s.put("innodb_buffer_pool_size", Math.max(8, c.memoryMib / 2) + "M");
        s.put("innodb_log_file_size", "16M");
        s.put("character_set_server", "utf8mb4");
        spec.params().forEach((k, v) -> {
            ParamSpec p = CATALOG.find(k);
            String value = p == null ? v : switch (p.type()) {
                case MEMORY_MB -> ParamSpec.megabytes(v) + "M";
                case BOOL -> ParamSpec.truthy(v) ? "ON" : "OFF";
                default -> v.trim();
            };
            s.put(k, value);
        });
        return s;
    }

    /** A value from {@code SELECT @@GLOBAL.name} in the notation {@link #render} uses. */
    static String fromServer(String name, String value) {
        if (MEMORY.contains(name)) return (Long.parseLong(value.trim()) / (1024 * 1024)) + "M";
        if (name.equals("long_query_time")) return stripZeros(value.trim());
        return value.trim();
    }

    /** The value for {@code SET GLOBAL}: bytes for sizes, numbers bare, anything else quoted. */
    static String forSetGlobal(String name, String rendered) {
        if (MEMORY.contains(name)) return String.valueOf(Long.parseLong(rendered.replace("M", "")) * 1024 * 1024);
        if (rendered.matches("-?[0-9.]+") || rendered.equals("ON") || rendered.equals("OFF")) return rendered;
        return "'" + rendered.replace("'", "''") + "'";
    }

    private static String stripZeros(String v) {
        if (!v.contains(".")) return v;
        String s = v.replaceAll("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
