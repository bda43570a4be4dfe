package io.stratum.engines;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlSessionTest {
    @Test
    void aClientThatStopsAnsweringIsEndedAfterTheTimeout() {
        try (SqlSession s = new SqlSession(List.of("sleep", "600"), null)) {
            assertThatThrownBy(() -> s.query("SELECT 1;", Duration.ofSeconds(1))).isInstanceOf(ToolException.class)
                    .hasMessageContaining("did not answer within 1 s");
        }
    }
}
