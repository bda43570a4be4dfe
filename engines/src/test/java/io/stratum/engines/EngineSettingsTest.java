package io.stratum.engines;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.instance.InstanceClass;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.engines.mariadb.MariadbProvider;
import io.stratum.engines.postgres.PostgresProvider;
import io.stratum.engines.redis.RedisProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How classes and parameters render per engine (pure), as documented in the README's class table. */
class EngineSettingsTest {
    static InstanceSpec spec(String engine, InstanceClass c, Map<String, String> params) {
        return InstanceSpec.builder("x", engine).version("1").instanceClass(c).storage(5, 5).port(15000).database("app").masterUser("app")
                .backupPolicy(7, "03:00-03:30").params(params).tls("prefer").build();
    }

    @Test
    void postgresClassesScaleMemoryAndConnections() {
        var p = new PostgresProvider();
        assertThat(p.settings(spec("postgres", InstanceClass.MICRO, Map.of()))).containsEntry("shared_buffers", "16MB")
                .containsEntry("max_connections", "50").containsEntry("effective_cache_size", "48MB").containsEntry("work_mem", "1MB");
        assertThat(p.settings(spec("postgres", InstanceClass.LARGE, Map.of()))).containsEntry("shared_buffers", "256MB")
                .containsEntry("max_connections", "400");
        assertThat(p.settings(spec("postgres", InstanceClass.SMALL, Map.of("work_mem", "1GB", "log_connections", "true"))))
                .containsEntry("work_mem", "1024MB").containsEntry("log_connections", "on");
    }

    @Test
    void mariadbAndRedisClasses() {
        assertThat(new MariadbProvider().settings(spec("mariadb", InstanceClass.MEDIUM, Map.of())))
                .containsEntry("innodb_buffer_pool_size", "256M").containsEntry("max_connections", "200");
        assertThat(new RedisProvider().settings(spec("redis", InstanceClass.SMALL, Map.of("appendonly", "off"))))
                .containsEntry("maxmemory", "256mb").containsEntry("maxmemory-policy", "noeviction").containsEntry("appendonly", "no");
    }
}
