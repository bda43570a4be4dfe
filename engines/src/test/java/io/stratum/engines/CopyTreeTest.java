package io.stratum.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Copying and flushing trees with the real cp and sync. */
class CopyTreeTest {
    private final ToolRunner tools = new ToolRunner(null);

    @TempDir
    Path dir;

    /**
     * A data directory belongs to its engine's OS user, who may leave a FIFO or a link in it (to a FIFO elsewhere): the
     * flush neither blocks on one nor follows a link, and flushes the rest.
     */
    @Test
    void flushingATreeWithFifosAndLinksInItNeitherBlocksNorFails() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("data/base/1"));
        Files.write(tree.resolve("1259"), new byte[256 * 1024]);
        Path outside = dir.resolve("outside.fifo");
        tools.self(List.of("mkfifo", outside.toString()), null, null, Duration.ofSeconds(10));
        tools.self(List.of("mkfifo", tree.resolve("planted.fifo").toString()), null, null, Duration.ofSeconds(10));
        Files.createSymbolicLink(tree.resolve("link"), outside);
        Files.createSymbolicLink(tree.resolve("dangling"), dir.resolve("gone"));
        long started = System.nanoTime();
        new CopyTree(tools).flush(dir.resolve("data"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aTreeThatIsNotThereIsAnError() {
        assertThatThrownBy(() -> new CopyTree(tools).flush(dir.resolve("missing"))).hasMessageContaining("missing");
    }

    @Test
    void aCopyKeepsFilesAndModes() throws Exception {
        Path from = Files.createDirectories(dir.resolve("from/sub"));
        Files.writeString(from.resolve("f"), "x");
        Files.setPosixFilePermissions(from.resolve("f"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        new CopyTree(tools).copy(dir.resolve("from"), dir.resolve("to"));
        new CopyTree(tools).flush(dir.resolve("to"));
        assertThat(Files.readString(dir.resolve("to/sub/f"))).isEqualTo("x");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("to/sub/f"))))
                .isEqualTo("rw-------");
    }
}
