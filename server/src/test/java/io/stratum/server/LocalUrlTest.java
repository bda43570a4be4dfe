package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** server.json's URL is how the CLI on this host reaches the API, whatever address the server listens on. */
class LocalUrlTest {
    @Test
    void wildcardsBecomeLoopbackOfTheirFamily() {
        assertThat(StratumServer.localHost("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(StratumServer.localHost("::")).isEqualTo("::1");
        assertThat(StratumServer.localHost("0:0:0:0:0:0:0:0")).isEqualTo("::1");
        assertThat(StratumServer.localHost("10.1.2.3")).isEqualTo("10.1.2.3");
        assertThat(StratumServer.localHost("db.internal")).as("no lookup of a name").isEqualTo("db.internal");
        assertThat(StratumServer.localHost(null)).isEqualTo("127.0.0.1");
    }
}
