package io.stratum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratum.core.engine.ClientCommand;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CLI runs the client its server declares only when it is a plain program with plain, harmless variables. */
class EngineClientsTest {
    static ClientCommand client(List<String> argv, Map<String, String> env, String passwordEnv) {
        return new ClientCommand(argv, env, passwordEnv, List.of(), Map.of());
    }

    @Test
    void refusesPathsAndLoaderVariables() {
        assertThat(EngineClients.problem(client(List.of("psql"), Map.of("PGHOST", "{host}"), "PGPASSWORD"))).isNull();
        assertThat(EngineClients.problem(client(List.of("/tmp/evil"), Map.of(), "PGPASSWORD"))).contains("plain name");
        assertThat(EngineClients.problem(client(List.of("../bin/sh"), Map.of(), "PGPASSWORD"))).contains("plain name");
        for (String bad : List.of("LD_PRELOAD", "PATH", "BASH_ENV", "PSQLRC", "DYLD_INSERT_LIBRARIES", "X=$(id)")) {
            assertThat(EngineClients.problem(client(List.of("psql"), Map.of(bad, "x"), "PGPASSWORD"))).as(bad).contains("not allowed");
        }
        assertThat(EngineClients.problem(client(List.of("psql"), Map.of(), "LD_PRELOAD"))).contains("not allowed");
    }

    @Test
    void theBastionLineQuotesWhatAShellWouldRead() {
        ClientCommand c = new ClientCommand(List.of("mariadb", "--user={user}", "--database={database}"), Map.of(), "MYSQL_PWD", List.of(),
                Map.of());
        String line = EngineClients.shellLine(c, new ClientCommand.Target("127.0.0.1", 15432, "app", "db$(id)", null), "cat pw");
        assertThat(line).isEqualTo("MYSQL_PWD=\"$(cat pw)\" mariadb --user=app '--database=db$(id)'");
    }
}
