package io.stratum.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.backup.TransferProgress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransferProgressTest {
    @Test
    void bytesRateAndTimeLeft() {
        assertThat(TransferProgress.describe(412_000_000, 1_000_000_000, Duration.ofSeconds(4)))
                .isEqualTo("412.0 MB of ~1.00 GB, 103.0 MB/s, ETA 6 s");
        assertThat(TransferProgress.describe(5_000, 0, Duration.ofSeconds(1))).isEqualTo("5 kB, 5 kB/s");
        assertThat(TransferProgress.describe(1_000_000, 900_000_000, Duration.ofSeconds(10))).endsWith("ETA 2 h");
        assertThat(TransferProgress.describe(2_000_000_000, 1_000_000_000, Duration.ofSeconds(10))).as("past the estimate").doesNotContain("ETA");
        assertThat(TransferProgress.describe(4_000, 2_000_000, Duration.ofMillis(500))).as("a 2 MB restore's first moments")
                .isEqualTo("4 kB of ~2.0 MB, 8 kB/s");
        assertThat(TransferProgress.describe(4_000, 2_000_000_000, Duration.ofSeconds(3))).as("too little moved to know the rate")
                .doesNotContain("ETA");
        assertThat(TransferProgress.fraction(500, 1000)).isEqualTo(0.5);
        assertThat(TransferProgress.fraction(5000, 1000)).isEqualTo(0.99);
    }
}
