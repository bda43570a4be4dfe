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
    void stoppingAToolAlsoStopsTheProcessesItStarted() throws Exception {
        java.nio.file.Path pidFile = java.nio.file.Files.createTempFile("worker", ".pid");
        // a leader that ignores SIGTERM's default for its worker: the worker must still go
        assertThatThrownBy(() -> self.stream(List.of("sh", "-c", "sleep 60 & echo $! > " + pidFile + "; wait"), Map.of(), null, null,
                Duration.ofMinutes(1), () -> pidFile.toFile().length() > 0 ? "enough" : null)).hasMessageContaining("was stopped");
        long worker = Long.parseLong(java.nio.file.Files.readString(pidFile).strip());
        for (int i = 0; i < 50 && ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false); i++) Thread.sleep(100);
        assertThat(ProcessHandle.of(worker).map(ProcessHandle::isAlive).orElse(false)).as("the worker " + worker).isFalse();
        java.nio.file.Files.deleteIfExists(pidFile);
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
