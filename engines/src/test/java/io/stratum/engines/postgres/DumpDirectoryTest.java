package io.stratum.engines.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import io.stratum.engines.ToolRunner;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DumpDirectoryTest {
    private static final ToolRunner SELF = new ToolRunner(null);
    @TempDir
    Path tmp;

    @Test
    void aDumpDirectoryPacksAndUnpacksToTheSameFilesTocFirstPrivateToItsReader() throws Exception {
        Path dump = tmp.resolve("dump");
        Files.createDirectory(dump);
        Files.writeString(dump.resolve("3360.dat"), "1\ta\n2\tb\n");
        Files.writeString(dump.resolve("toc.dat"), "PGDMP toc");
        Files.write(dump.resolve("3359.dat"), new byte[3 * 1024 * 1024 + 7]);
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        var sums = DumpDirectory.pack(SELF, dump, packed, Duration.ofMinutes(1));
        assertThat(DumpDirectory.isCustomFormat(packed.toByteArray())).isFalse();
        // what was read back on the way (each table's rows and checksum) left the stream exactly as tar wrote it
        ByteArrayOutputStream byTar = new ByteArrayOutputStream();
        SELF.stream(List.of("tar", "--format=posix", "--pax-option=delete=atime,delete=ctime", "--mtime=@0", "--owner=0", "--group=0",
                "--numeric-owner", "--mode=0600", "--no-recursion", "-C", dump.toString(), "-cf", "-", "--", "toc.dat", "3359.dat", "3360.dat"),
                java.util.Map.of(), null, byTar, Duration.ofMinutes(1));
        assertThat(packed.toByteArray()).isEqualTo(byTar.toByteArray());
        assertThat(sums).containsOnlyKeys("3359.dat", "3360.dat");
        assertThat(sums.get("3360.dat").rows()).isEqualTo(2);
        CopyRowChecksum same = new CopyRowChecksum();
        same.write("2\tb\n1\ta\n".getBytes(StandardCharsets.UTF_8));
        assertThat(sums.get("3360.dat").checksum()).isEqualTo(same.checksum());
        assertThat(sums.get("3359.dat").rows()).as("one line without its line break").isEqualTo(1);

        CountingEnd in = new CountingEnd(new ByteArrayInputStream(packed.toByteArray()));
        Path restored = tmp.resolve("restore.d");
        DumpDirectory.unpack(in, restored, null);
        assertThat(in.atEnd).as("read to the end, so the archive's check at its end has run").isTrue();
        try (var files = Files.list(restored)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("3359.dat", "3360.dat", "toc.dat");
        }
        assertThat(Files.readString(restored.resolve("3360.dat"))).isEqualTo("1\ta\n2\tb\n");
        assertThat(Files.size(restored.resolve("3359.dat"))).isEqualTo(3 * 1024 * 1024 + 7);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restored))).as("the reader can add nothing")
                .isEqualTo("rwx--x--x");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(restored.resolve("toc.dat")))).isEqualTo("rw-------");
        try (var tar = new org.apache.commons.compress.archivers.tar.TarArchiveInputStream(new ByteArrayInputStream(packed.toByteArray()))) {
            assertThat(tar.getNextEntry().getName()).isEqualTo("toc.dat");
        }
    }

    @Test
    void aLayout1DumpIsToldApartByItsMagic() {
        assertThat(DumpDirectory.isCustomFormat("PGDMP\u0001\u000e".getBytes(StandardCharsets.ISO_8859_1))).isTrue();
        assertThat(DumpDirectory.isCustomFormat("toc.d".getBytes(StandardCharsets.ISO_8859_1))).isFalse();
        assertThat(DumpDirectory.isCustomFormat(new byte[2])).isFalse();
    }

    @Test
    void entriesPgDumpDoesNotWriteAreRefusedAndNothingIsWrittenOutsideTheDirectory() throws Exception {
        for (String name : List.of("../escaped.dat", "/tmp/abs.dat", "sub/1.dat", ".hidden.dat", "1.sh", "toc.dat\n", "")) {
            Path restored = tmp.resolve("r" + Math.abs(name.hashCode()));
            assertThatThrownBy(() -> DumpDirectory.unpack(tar(List.of(file("toc.dat", "x"), file(name, "y"))), restored, null))
                    .as(name).hasMessageContaining("not a file pg_dump writes");
        }
        assertThat(tmp.resolve("escaped.dat")).doesNotExist();
        assertThat(Path.of("/tmp/abs.dat")).doesNotExist();
    }

    @Test
    void linksAndDirectoriesAreRefused() throws Exception {
        TarArchiveEntry link = new TarArchiveEntry("1.dat", TarArchiveEntry.LF_SYMLINK);
        link.setLinkName("/etc/passwd");
        TarArchiveEntry hard = new TarArchiveEntry("2.dat", TarArchiveEntry.LF_LINK);
        hard.setLinkName("toc.dat");
        TarArchiveEntry dir = new TarArchiveEntry("3.dat/");
        for (TarArchiveEntry e : List.of(link, hard, dir)) {
            assertThatThrownBy(() -> DumpDirectory.unpack(tar(List.of(new Entry(e, new byte[0]))), tmp.resolve("r-" + e.getName().length()
                    + e.getLinkFlag()), null)).as(e.getName()).hasMessageContaining("not a file pg_dump writes");
        }
    }

    @Test
    void aNameGivenTwiceIsRefused() {
        assertThatThrownBy(() -> DumpDirectory.unpack(tar(List.of(file("1.dat", "a"), file("1.dat", "b"))), tmp.resolve("twice"), null))
                .hasMessageContaining("1.dat twice");
    }

    @Test
    void aLinkOrPipePlantedInTheDumpDirectoryFailsTheBackupAndIsRefusedOnRestore() throws Exception {
        Path dump = tmp.resolve("dump");
        Files.createDirectory(dump);
        Files.writeString(dump.resolve("toc.dat"), "toc");
        Files.createSymbolicLink(dump.resolve("1.dat"), Path.of("/etc/shadow"));
        new ProcessBuilder("mkfifo", dump.resolve("2.dat").toString()).inheritIO().start().waitFor();
        ByteArrayOutputStream packed = new ByteArrayOutputStream();
        // tar archives the link as a link (a pipe is not opened: this returns); the packer reads that back and refuses it
        assertThatThrownBy(() -> DumpDirectory.pack(SELF, dump, packed, Duration.ofMinutes(1))).hasMessageContaining("'1.dat', which is not a "
                + "regular file");
        assertThat(packed.toString(StandardCharsets.ISO_8859_1)).as("the link's target is not read").doesNotContain("root:");
        // an archive holding one (written before, or forged under the backup's key) is refused on restore
        ByteArrayOutputStream byTar = new ByteArrayOutputStream();
        SELF.stream(List.of("tar", "--format=posix", "-C", dump.toString(), "-cf", "-", "--", "toc.dat", "1.dat", "2.dat"), java.util.Map.of(),
                null, byTar, Duration.ofMinutes(1));
        assertThat(byTar.toString(StandardCharsets.ISO_8859_1)).doesNotContain("root:");
        assertThatThrownBy(() -> DumpDirectory.unpack(new ByteArrayInputStream(byTar.toByteArray()), tmp.resolve("r"), null))
                .hasMessageContaining("not a file pg_dump writes");
    }

    @Test
    void aNamePgDumpDoesNotWriteFailsTheDumpAndSoDoesAMissingToc() throws Exception {
        Path dump = tmp.resolve("dump");
        Files.createDirectory(dump);
        Files.writeString(dump.resolve("toc.dat"), "toc");
        Files.writeString(dump.resolve("--checkpoint-action=exec=sh"), "x");
        assertThatThrownBy(() -> DumpDirectory.pack(SELF, dump, new ByteArrayOutputStream(), Duration.ofMinutes(1)))
                .hasMessageContaining("which pg_dump does not write");
        Path noToc = tmp.resolve("notoc");
        Files.createDirectory(noToc);
        Files.writeString(noToc.resolve("1.dat"), "x");
        assertThatThrownBy(() -> DumpDirectory.pack(SELF, noToc, new ByteArrayOutputStream(), Duration.ofMinutes(1)))
                .hasMessageContaining("no toc.dat");
    }

    @Test
    void removingTakesTheDirectoryAndWhatIsInIt() throws Exception {
        Path dump = tmp.resolve("dump");
        Files.createDirectory(dump);
        Files.writeString(dump.resolve("toc.dat"), "toc");
        DumpDirectory.remove(SELF, dump);
        assertThat(dump).doesNotExist();
        DumpDirectory.remove(SELF, dump); // nothing there: nothing happens
    }

    private record Entry(TarArchiveEntry header, byte[] content) {}

    private static Entry file(String name, String content) {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = new TarArchiveEntry(name, true);
        e.setSize(b.length);
        return new Entry(e, b);
    }

    private static InputStream tar(List<Entry> entries) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Entry e : entries) {
                tar.putArchiveEntry(e.header());
                tar.write(e.content());
                tar.closeArchiveEntry();
            }
        }
        return new ByteArrayInputStream(out.toByteArray());
    }

    /** Notes whether the reader reached the end. */
    private static final class CountingEnd extends java.io.FilterInputStream {
        boolean atEnd;

        CountingEnd(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            int n = super.read(b, off, len);
            if (n < 0) atEnd = true;
            return n;
        }

        @Override
        public int read() throws java.io.IOException {
            int n = super.read();
            if (n < 0) atEnd = true;
            return n;
        }
    }
}
