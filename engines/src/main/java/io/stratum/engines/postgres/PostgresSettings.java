package io.stratum.engines.postgres;

import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.ParamSpec;
import io.stratum.core.instance.ParameterCatalog;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** PostgreSQL's parameter allow-list and how a class and parameters render to postgresql.conf settings (pure). */
final class PostgresSettings {
    static final ParameterCatalog CATALOG = new ParameterCatalog(List.of(
            ParamSpec.integer("max_connections", 10, 5000, false, "maximum concurrent connections"),
            ParamSpec.memoryMb("shared_buffers", 16, 65536, false, "shared memory for data pages"),
            ParamSpec.memoryMb("effective_cache_size", 8, 1048576, true, "planner's assumption of OS cache"),
            ParamSpec.memoryMb("work_mem", 1, 4096, true, "memory per sort/hash operation"),
            ParamSpec.memoryMb("maintenance_work_mem", 1, 8192, true, "memory for VACUUM, CREATE INDEX"),
            ParamSpec.memoryMb("max_wal_size", 32, 65536, true, "WAL size that triggers a checkpoint"),
            ParamSpec.integer("statement_timeout", 0, 2147483647, true, "milliseconds; 0 disables"),
            ParamSpec.integer("idle_in_transaction_session_timeout", 0, 2147483647, true, "milliseconds; 0 disables"),
            ParamSpec.integer("log_min_duration_statement", -1, 2147483647, true, "log statements slower than this (ms); -1 off"),
            ParamSpec.real("random_page_cost", 0, 1000, true, "planner cost of a random page read"),
            ParamSpec.bool("log_connections", true, "log each connection"),
            ParamSpec.bool("autovacuum", true, "run the autovacuum launcher")));

    private PostgresSettings() {}

    static Map<String, String> render(InstanceSpec spec) {
        InstanceClass c = spec.instanceClass();
        Map<String, String> s = new TreeMap<>();
        s.put("max_connections", String.valueOf(c.maxConnections));
        s.put("shared_buffers", (c.memoryMib / 4) + "MB");
        s.put("effective_cache_size", (c.memoryMib * 3 / 4) + "MB");
        s.put("work_mem", Math.max(1, c.memoryMib / 64) + "MB");
        s.put("maintenance_work_mem", Math.max(1, c.memoryMib / 16) + "MB");
        s.put("max_wal_size", "256MB");
        spec.params().forEach((k, v) -> s.put(k, normalise(CATALOG.find(k), v)));
        return s;
    }

    static String normalise(ParamSpec spec, String value) {
        if (spec == null) return value;
        return switch (spec.type()) {
            case MEMORY_MB -> ParamSpec.megabytes(value) + "MB";
            case BOOL -> ParamSpec.truthy(value) ? "on" : "off";
            default -> value.trim();
        };
    }

    /** A pg_settings row (setting in its unit) in the notation {@link #render} uses. */
    static String fromPgSettings(String setting, String unit) {
        long bytesPerUnit = switch (unit == null ? "" : unit) {
            case "8kB" -> 8192;
            case "kB" -> 1024;
            case "MB" -> 1024 * 1024;
            case "B" -> 1;
            default -> 0;
        };
        if (bytesPerUnit == 0) return setting;
        return (Long.parseLong(setting) * bytesPerUnit / (1024 * 1024)) + "MB";
    }
}
