package io.stratum.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ToolRunnerTest {
    private final ToolRunner self = new ToolRunner(null);

    @Test
    void aWatchedToolIsStoppedTheMomentItsWatchGivesAReason() {
        long started = System.nanoTime();
        long[] checks = {0};
        assertThatThrownBy(() -> self.stream(List.of("sleep", "30"), Map.of(), null, null, Duration.ofMinutes(1),
                () -> ++checks[0] < 3 ? null : "the disk is nearly full"))
                .isInstanceOf(ToolException.class).hasMessage("sleep was stopped: the disk is nearly full");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aWatchedToolThatFinishesIsNotStoppedAndItsTimeoutStillHolds() {
        self.stream(List.of("true"), Map.of(), null, null, Duration.ofMinutes(1), () -> null);
        assertThatThrownBy(() -> self.stream(List.of("sleep", "30"), Map.of(), null, null, Duration.ofMillis(600), () -> null))
                .hasMessageContaining("did not finish within");
        assertThatThrownBy(() -> self.stream(List.of("true"), Map.of(), null, java.io.OutputStream.nullOutputStream(), Duration.ofMinutes(1),
                () -> null)).isInstanceOf(IllegalArgumentException.class);
    }
}
