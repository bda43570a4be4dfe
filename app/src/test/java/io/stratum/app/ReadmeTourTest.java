package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReadmeTourTest {
    static final String SAMPLE = String.join("\n",
            "# Title",
            "<!-- readme-tour: skip: starts a server -->",
            "```sh",
            "bin/stratum up",
            "```",
            "text",
            "```sh",
            "# a note, not a command",
            "bin/stratum stack create shop",
            "bin/stratum stack delete shop          # refused while the stack has stages",
            "printf %s \"$PW\" | bin/stratum external register rds --host db.internal \\",
            "    --port 3306 [--ssh-host-key \"ssh-ed25519 AAAA...\"]",
            "echo 'select 1 # not a comment' | bin/stratum db connect orders",
            "bin/stratum events --follow   # streams until Ctrl-C",
            "bin/stratum store add nas --dir /mnt/x   # a missing one is refused",
            "bin/stratum backup show bk-orders-0a1b2c3d4e5f && bin/stratum op show op-1a2b3c4d5e6f",
            "```",
            "```",
            "not a shell block",
            "```",
            "");

    @Test
    void blocksBecomeCommandsWithWhatEachMustDo() {
        ReadmeTour tour = ReadmeTour.parse(SAMPLE);
        assertThat(tour.skipped()).containsExactly("line 3: starts a server");
        assertThat(tour.commands()).extracting(ReadmeTour.Command::text).containsExactly(
                "bin/stratum stack create shop",
                "bin/stratum stack delete shop",
                "printf %s \"$PW\" | bin/stratum external register rds --host db.internal --port 3306",
                "echo 'select 1 # not a comment' | bin/stratum db connect orders",
                "bin/stratum events --follow",
                "bin/stratum store add nas --dir /mnt/x",
                "bin/stratum backup show bk-orders-0a1b2c3d4e5f && bin/stratum op show op-1a2b3c4d5e6f");
        assertThat(tour.commands()).extracting(ReadmeTour.Command::expect).containsExactly(ReadmeTour.Expect.SUCCESS,
                ReadmeTour.Expect.REFUSED, ReadmeTour.Expect.SUCCESS, ReadmeTour.Expect.SUCCESS,
                ReadmeTour.Expect.RUNS_UNTIL_STOPPED, ReadmeTour.Expect.SUCCESS, ReadmeTour.Expect.SUCCESS);
        assertThat(tour.commands().get(2).line()).isEqualTo(11);
    }

    @Test
    void placeholdersTakeTheLastIdOfTheirShapeAndFailWhenNoneWasPrinted() {
        ReadmeTour.Command c = ReadmeTour.parse(SAMPLE).commands().get(6);
        assertThat(c.placeholderPrefixes()).containsExactly("bk-orders-", "op-");
        assertThat(c.withIds(Map.of("bk-orders-", "bk-orders-0123456789ab", "op-", "op-ba9876543210")))
                .isEqualTo("bin/stratum backup show bk-orders-0123456789ab && bin/stratum op show op-ba9876543210");
        assertThatThrownBy(() -> c.withIds(Map.of("op-", "op-ba9876543210"))).hasMessageContaining("bk-orders-0a1b2c3d4e5f");
    }

    @Test
    void aFenceOtherThanShOrPlainFailsInsteadOfBeingLeftOut() {
        assertThatThrownBy(() -> ReadmeTour.parse("```bash\nbin/stratum stack list\n```\n")).hasMessageContaining("```sh");
        assertThatThrownBy(() -> ReadmeTour.parse("text\n  ```sh\nls\n```\n")).hasMessageContaining("line 2");
        assertThat(ReadmeTour.parse("```\nssh -i key\n```\n```sh\r\nls\r\n```\r\n").commands()).extracting(ReadmeTour.Command::text)
                .containsExactly("ls");
    }

    @Test
    void aSkippedBlockMustSayWhyAndEveryBlockMustClose() {
        assertThatThrownBy(() -> ReadmeTour.parse("<!-- readme-tour: skip -->\n```sh\nls\n```\n")).hasMessageContaining("REASON");
        assertThatThrownBy(() -> ReadmeTour.parse("```sh\nls\n")).hasMessageContaining("never closed");
    }

    @Test
    void theRealReadmeParses() throws Exception {
        ReadmeTour tour = ReadmeTour.parse(Files.readString(ReadmeTourIT.ROOT.resolve("README.md")));
        assertThat(tour.commands()).hasSizeGreaterThan(90);
        assertThat(tour.commands()).extracting(ReadmeTour.Command::text).noneMatch(t -> t.contains("[--"));
    }
}
