package io.stratum.engines.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NativePasswordHashTest {
    @Test
    void matchesMariadbPasswordFunction() {
        // SELECT PASSWORD('password') in MariaDB
        assertThat(MariadbProvider.nativePasswordHash("password")).isEqualTo("*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
    }
}
