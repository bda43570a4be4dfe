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
        new CopyTree(tools).flushOwn(dir.resolve("data"));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aTreeThatIsNotThereIsAnError() {
        assertThatThrownBy(() -> new CopyTree(tools).flushOwn(dir.resolve("missing"))).hasMessageContaining("missing");
    }

    @Test
    void aCopyKeepsFilesAndModes() throws Exception {
        Path from = Files.createDirectories(dir.resolve("from/sub"));
        Files.writeString(from.resolve("f"), "x");
        Files.setPosixFilePermissions(from.resolve("f"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        new CopyTree(tools).copy(dir.resolve("from"), dir.resolve("to"));
        new CopyTree(tools).flushOwn(dir.resolve("to"));
        assertThat(Files.readString(dir.resolve("to/sub/f"))).isEqualTo("x");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("to/sub/f"))))
                .isEqualTo("rw-------");
    }

    /**
     * An instance's data directory is flushed as its engine's user: what that user cannot open (here a root-only file;
     * in an attack, a link to a device swapped in after the listing) is not opened by root on its behalf, and the
     * failure is reported, not taken for a file removed meanwhile.
     */
    @Test
    void flushingAsTheOwnerOpensOnlyWhatTheOwnerMayAndReportsWhatItCannot() throws Exception {
        java.nio.file.attribute.PosixFileAttributeView view = Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class);
        view.setPermissions(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Path tree = Files.createDirectories(dir.resolve("data"));
        Files.writeString(tree.resolve("mine"), "x");
        tools.self(List.of("chown", "-R", "daemon", tree.toString()), null, null, Duration.ofSeconds(10));
        new CopyTree(new ToolRunner("daemon")).flushAsOwner(tree);

        Path rootOnly = tree.resolve("root-only");
        Files.writeString(rootOnly, "secret");
        Files.setPosixFilePermissions(rootOnly, java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        assertThatThrownBy(() -> new CopyTree(new ToolRunner("daemon")).flushAsOwner(tree))
                .hasMessageContaining("flushing " + tree).hasMessageContaining("root-only").hasMessageContaining("Permission denied");
        new CopyTree(tools).flushOwn(tree);   // the control plane's own user may
    }

    /** More names than one argument list holds are flushed in several calls of sync, not refused by the kernel. */
    @Test
    void aTreeWithMoreFilesThanOneArgumentListHoldsIsFlushed() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("many"));
        String longName = "f".repeat(200);
        for (int i = 0; i < 12_000; i++) Files.createFile(tree.resolve(longName + i)); // ~2.5 MB of names: over ARG_MAX's 2 MB
        new CopyTree(tools).flushOwn(tree);
    }

    @Test
    void onlyAFileUnderTheTreeRemovedAfterItWasListedIsTolerated() {
        Path tree = Path.of("/srv/x/data");
        assertThat(CopyTree.removedMeanwhile("sync: error opening '/srv/x/data/base/1': No such file or directory", tree)).isTrue();
        assertThat(CopyTree.removedMeanwhile("sync: error opening \"/srv/x/data/it's\": No such file or directory", tree)).isTrue();
        assertThat(CopyTree.removedMeanwhile("find: \u2018/srv/x/data/pg_wal/a\u2019: No such file or directory", tree)).isTrue();
        assertThat(CopyTree.removedMeanwhile("find: '/srv/x/data/pg_wal/a': No such file or directory", tree)).isTrue();
        assertThat(CopyTree.removedMeanwhile("find: '/srv/x/data': No such file or directory", tree)).isFalse();
        assertThat(CopyTree.removedMeanwhile("sync: error syncing '/srv/x/data/f': Input/output error", tree)).isFalse();
        assertThat(CopyTree.removedMeanwhile("ionice: failed to execute find: No such file or directory", tree)).isFalse();
        assertThat(CopyTree.removedMeanwhile("sync: error opening '/srv/x/database/f': No such file or directory", tree)).isFalse();
    }
}
