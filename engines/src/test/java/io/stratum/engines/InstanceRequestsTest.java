package io.stratum.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratum.core.engine.EngineRegistry;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.ValidationException;
import io.stratum.core.instance.CreateInstanceRequest;
import io.stratum.core.instance.InstanceRequests;
import io.stratum.core.instance.InstanceSpec;
import io.stratum.core.instance.ParamSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Create-request validation (a pure function) against the real providers' catalogs and the versions on this host. */
class InstanceRequestsTest {
    static final EngineRegistry ENGINES = EngineRegistry.load();

    static CreateInstanceRequest req(String name, String engine) {
        return new CreateInstanceRequest(name, engine, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null);
    }

    static List<FieldError> errors(CreateInstanceRequest r) {
        try {
            InstanceRequests.validate(r, ENGINES);
            return List.of();
        } catch (ValidationException e) {
            return e.errors();
        }
    }

    @Test
    void defaultsAreFilledIn() {
        InstanceSpec s = InstanceRequests.validate(req("orders", "postgres"), ENGINES);
        assertThat(s.version()).isEqualTo(ENGINES.get("postgres").versions().get(0));
        assertThat(s.storageGiB()).isEqualTo(5);
        assertThat(s.maxStorageGiB()).isEqualTo(5);
        assertThat(s.database()).isEqualTo("app");
        assertThat(s.masterUser()).isEqualTo("app");
        assertThat(s.backupRetentionDays()).isEqualTo(7);
        assertThat(s.backupWindow()).matches("\\d\\d:\\d\\d-\\d\\d:\\d\\d");
        assertThat(s.tls()).isEqualTo("prefer");
        assertThat(InstanceRequests.validate(req("legacy", "mysql"), ENGINES).engine()).isEqualTo("mariadb");
        assertThat(InstanceRequests.validate(req("cache", "redis"), ENGINES).database()).isEqualTo("0");
    }

    @Test
    void everyBadFieldIsReportedAtOnce() {
        var r = new CreateInstanceRequest("Bad", "postgres", "9", "huge", 0, null, "shop", null, 80, "Bad-DB", "root", null,
                List.of("web", "web"), 99, "25:00", null, Map.of("shared_buffer", "1GB", "max_connections", "1"), "maybe", null);
        assertThat(errors(r)).extracting(FieldError::field).contains("name", "version", "class", "storage", "port", "stage",
                "database", "masterUser", "securityGroups", "backupRetention", "backupWindow", "tls", "param.shared_buffer",
                "param.max_connections");
        assertThatThrownBy(() -> InstanceRequests.validate(req("x", "oracle"), ENGINES))
                .hasMessageContaining("use one of postgres, mariadb, redis").hasMessageContaining("mysql");
    }

    @Test
    void unknownParametersGetTheClosestNames() {
        var e = errors(new CreateInstanceRequest("o", "postgres", null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, Map.of("shared_bufers", "64MB"), null, null));
        assertThat(e.get(0).message()).contains("did you mean shared_buffers");
        var work = ENGINES.get("postgres").parameters().find("work_mem");
        assertThat(work.problem("64kB")).contains("out of range");
        assertThat(work.problem("2GB")).isNull();
        assertThat(ParamSpec.megabytes("1GB")).isEqualTo(1024);
    }
}
