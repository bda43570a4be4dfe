package io.stratum.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.bastion.BastionKey;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BastionLifetimeTest {
    @Test
    void aKeyIsUsableUntilItExpiresOrIsRevoked() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        BastionKey key = new BastionKey("bk1", "shop", "ssh-ed25519", "SHA256:x", "ssh-ed25519 AAAA", "", t0, t0.plusSeconds(60), null);
        assertThat(key.usableAt(t0.plusSeconds(59))).isTrue();
        assertThat(key.usableAt(t0.plusSeconds(60))).isFalse();
        assertThat(key.state(t0.plusSeconds(61))).isEqualTo("expired");
        assertThat(key.revoked(t0.plusSeconds(1)).usableAt(t0.plusSeconds(2))).isFalse();
        assertThat(key.revoked(t0.plusSeconds(1)).state(t0)).isEqualTo("revoked");
    }
}
