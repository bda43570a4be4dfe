package io.stratum.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratum.core.engine.ProcessState;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files Stratum writes as root where an engine's user could plant links: no link is ever followed. */
class EngineFilesTest {
    @TempDir
    Path dir;

    private Path victim() throws Exception {
        return Files.writeString(dir.resolve("victim"), "victim\n");
    }

    @Test
    void writeOwnedNeverFollowsALinkAtTheTargetOrItsTemporaryName() throws Exception {
        Path victim = victim();
        Path conf = dir.resolve("postgresql.conf");
        Files.createSymbolicLink(conf, victim);
        Files.createSymbolicLink(dir.resolve(".postgresql.conf.tmp"), victim);
        EngineFiles.writeOwned(conf, "port = 1\n", null);
        assertThat(Files.readString(victim)).isEqualTo("victim\n");
        assertThat(Files.isSymbolicLink(conf)).isFalse();
        assertThat(Files.readString(conf)).isEqualTo("port = 1\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(conf))).isEqualTo("rw-------");
    }

    @Test
    void chownRefusesALinkAndLeavesItsTarget() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "changing owners needs root");
        Path victim = victim();
        Path link = Files.createSymbolicLink(dir.resolve("data"), victim);
        assertThatThrownBy(() -> EngineFiles.chown(link, "nobody")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("symbolic link");
        assertThat(Files.getOwner(victim).getName()).isEqualTo("root");
    }

    @Test
    void anEngineOwnedFileReplacesALinkInItsPlace() throws Exception {
        Path victim = victim();
        Path log = Files.createSymbolicLink(dir.resolve("redis.log"), victim);
        EngineFiles.ensureOwnedFile(log, null);
        assertThat(Files.isRegularFile(log, LinkOption.NOFOLLOW_LINKS)).isTrue();
        assertThat(Files.readString(victim)).isEqualTo("victim\n");
    }

    @Test
    void logTailsAndPidFilesAreNotReadThroughLinks() throws Exception {
        Path secret = Files.writeString(dir.resolve("master.key"), "12345\nsecret-key-material\n");
        Path log = Files.createSymbolicLink(dir.resolve("postgresql.log"), secret);
        assertThat(EngineFiles.tail(log, 5)).isEmpty();
        Path pid = Files.createSymbolicLink(dir.resolve("postmaster.pid"), secret);
        assertThat(EngineFiles.readPid(pid)).isEqualTo(-1);
    }

    @Test
    void tailReadsOnlyTheEndOfALargeLog() throws Exception {
        Path log = dir.resolve("big.log");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200_000; i++) sb.append("line ").append(i).append('\n');
        Files.writeString(log, sb);
        assertThat(EngineFiles.tail(log, 3)).containsExactly("line 199997", "line 199998", "line 199999");
    }

    @Test
    void aProcessOfAnotherUserIsNotTheEngine() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs files of another owner");
        Path data = Files.createDirectory(dir.resolve("data"));
        long me = ProcessHandle.current().pid();
        assertThat(EngineFiles.state(me, data)).isEqualTo(ProcessState.RUNNING);
        Files.setOwner(data, data.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertThat(EngineFiles.state(me, data)).as("a pid that belongs to someone else").isEqualTo(ProcessState.DEAD);
        assertThatThrownBy(() -> EngineFiles.terminate(me, data, java.time.Duration.ofSeconds(1), "engine"))
                .hasMessageContaining("does not belong");
    }

    @Test
    void aLogPastItsBoundIsRolledAndTheWriterGoesOnAtItsStart() throws Exception {
        Path log = dir.resolve("postgresql.log");
        try (var writer = java.nio.channels.FileChannel.open(log, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.APPEND)) {
            writer.write(java.nio.ByteBuffer.wrap("x".repeat(2000).getBytes()));
            EngineFiles.rotate(log, 1000);
            assertThat(Files.size(log)).isZero();
            assertThat(Files.size(dir.resolve("postgresql.log.1"))).isEqualTo(2000);
            writer.write(java.nio.ByteBuffer.wrap("after\n".getBytes()));
            assertThat(Files.readString(log)).isEqualTo("after\n");
            EngineFiles.rotate(log, 1000);
            assertThat(Files.readString(log)).as("under the bound: untouched").isEqualTo("after\n");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("postgresql.log.1")))).isEqualTo("rw-------");
    }

    @Test
    void scratchCopiesMustLeaveAGigabyteAndATenthOfTheDiskFree() {
        long gib = 1L << 30;
        assertThat(EngineFiles.leavesHeadroom(5 * gib, 20 * gib, 100 * gib)).isTrue();
        assertThat(EngineFiles.leavesHeadroom(5 * gib, 14 * gib, 100 * gib)).as("9 GiB would be left of 100").isFalse();
        assertThat(EngineFiles.leavesHeadroom(gib / 2, gib + gib / 4, 4 * gib)).as("less than 1 GiB left").isFalse();
        assertThat(EngineFiles.leavesHeadroom(0, 0, 0)).isFalse();
    }
}
