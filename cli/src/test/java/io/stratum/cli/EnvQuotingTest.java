package io.stratum.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A password (an external database's, chosen by a tenant) with shell syntax in it is data in both env formats. */
class EnvQuotingTest {
    static final String NASTY = "p'a\"s$(touch PWNED)`touch PWNED2`\\x\nexport EVIL=1 $HOME";

    @TempDir
    Path dir;

    private String source(String line) throws Exception {
        Path file = Files.writeString(dir.resolve("env.sh"), line + "\n");
        Process p = new ProcessBuilder("bash", "-c", "set -a; . ./env.sh; printf '%s|%s' \"$PG_CREDENTIALS_SECRET\" \"${EVIL:-none}\"")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        assertThat(file).exists();
        return out;
    }

    @Test
    void shellFormatRoundTripsAnyValueAndRunsNothing() throws Exception {
        assertThat(source("export PG_CREDENTIALS_SECRET=" + EnvCommand.shell(NASTY))).isEqualTo(NASTY + "|none");
        assertThat(dir.resolve("PWNED")).doesNotExist();
        assertThat(dir.resolve("PWNED2")).doesNotExist();
    }

    @Test
    void dotenvFormatIsOneLineAndRunsNothingWhenSourced() throws Exception {
        String line = "PG_CREDENTIALS_SECRET=" + EnvCommand.dotenv(NASTY);
        assertThat(line).doesNotContain("\n");
        assertThat(source(line)).endsWith("|none");
        assertThat(dir.resolve("PWNED")).doesNotExist();
        assertThat(dir.resolve("PWNED2")).doesNotExist();
        assertThat(EnvCommand.dotenv("plain-Value_1")).isEqualTo("plain-Value_1");
    }
}
