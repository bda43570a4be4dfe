package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void theCommandIsTheFirstWordThatIsNeitherAnOptionNorARootOptionsValue() {
        assertThat(Main.command(new String[] {"server", "--listen", "127.0.0.1:0"})).isEqualTo("server");
        assertThat(Main.command(new String[] {"--home", "/srv/stratum", "server"})).isEqualTo("server");
        assertThat(Main.command(new String[] {"-o", "json", "db", "show", "server"})).isEqualTo("db");
        assertThat(Main.command(new String[] {"--home=/x", "stack", "list"})).isEqualTo("stack");
        assertThat(Main.command(new String[] {"--version"})).isNull();
        assertThat(Main.command(new String[] {"--", "server"})).isNull();
    }
}
