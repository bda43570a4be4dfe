package io.stratum.engines.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SystemUsersTest {
    @Test
    void namesAreReadableFitLinuxAndCarryA64BitHashOfHomeAndName() {
        String name = SystemUsers.nameFor(Path.of("/var/lib/stratum"), "shop-prod-postgres-primary");
        assertThat(name).matches("st-shop-prod-po-[0-9a-f]{16}").hasSizeLessThanOrEqualTo(32);
        assertThat(SystemUsers.nameFor(Path.of("/var/lib/stratum"), "a")).matches("st-a-[0-9a-f]{16}");
        assertThat(SystemUsers.nameFor(Path.of("/srv/other"), "shop-prod-postgres-primary")).as("another home").isNotEqualTo(name);
        assertThat(SystemUsers.nameFor(Path.of("/var/lib/stratum"), "shop-prod-postgres-replica")).as("same 12 characters").isNotEqualTo(name);
    }
}
