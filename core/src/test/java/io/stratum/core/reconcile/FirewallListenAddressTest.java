package io.stratum.core.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Kernel rules match the instances' listen address only when that is one address; otherwise they match the port alone. */
class FirewallListenAddressTest {
    @Test
    void oneAddressIsMatchedSeveralOrNoneMeanEveryAddress() throws Exception {
        assertThat(FirewallSync.listenAddress("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(FirewallSync.listenAddress("::1")).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(FirewallSync.listenAddress("no-such-host.invalid")).isEqualTo("0.0.0.0");
        // a name with an A and an AAAA record (or several A records): the engines listen on each, so no single one is matched
        int localhostAddresses = InetAddress.getAllByName("localhost").length;
        assertThat(FirewallSync.listenAddress("localhost")).isEqualTo(localhostAddresses > 1 ? "0.0.0.0" : "127.0.0.1");
    }
}
