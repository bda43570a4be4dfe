package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CryptoWarmUpTest {
    @Test
    void everyPacketRoundTripsThroughRealAesGcm() {
        assertThat(CryptoWarmUp.run()).isEqualTo(CryptoWarmUp.PACKETS);
    }
}
