package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratum.core.error.ValidationException;
import io.stratum.core.home.StratumHome;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerOptionsTest {
    private final StratumHome home = new StratumHome(Path.of("/tmp/h"));

    @Test
    void parsesListenAndDefaultsTheAdvertisedHost() {
        ServerOptions o = ServerOptions.of(home, null, null, null, null);
        assertThat(o.listenHost()).isEqualTo("127.0.0.1");
        assertThat(o.listenPort()).isEqualTo(7443);
        assertThat(ServerOptions.of(home, "0.0.0.0:9000", null, null, null).advertiseHost()).isEqualTo("127.0.0.1");
        assertThat(ServerOptions.of(home, "[::1]:9000", null, null, null).listenHost()).isEqualTo("::1");
        assertThat(ServerOptions.of(home, "127.0.0.1:0", "db.internal", null, null).advertiseHost()).isEqualTo("db.internal");
    }

    @Test
    void rejectsBadListenValuesNamingTheField() {
        for (String bad : new String[] {"7443", "host:", "host:70000", "host:abc"}) {
            assertThatThrownBy(() -> ServerOptions.of(home, bad, null, null, null))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().get(0).field()).isEqualTo("listen"));
        }
    }

    @Test
    void homeFollowsFlagThenEnvironmentThenDefault() {
        assertThat(StratumHome.resolve("/a", Map.of("STRATUM_HOME", "/b")).root()).isEqualTo(Path.of("/a"));
        assertThat(StratumHome.resolve(null, Map.of("STRATUM_HOME", "/b")).root()).isEqualTo(Path.of("/b"));
        assertThat(StratumHome.resolve(null, Map.of()).root()).isEqualTo(StratumHome.defaultRoot());
    }
}
