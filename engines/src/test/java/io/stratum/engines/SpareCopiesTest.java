package io.stratum.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Creates take a template's spare copy (a rename) and leave the next one made in the background, with real files and cp. */
class SpareCopiesTest {
    private final ToolRunner tools = new ToolRunner(null);

    @TempDir
    Path dir;

    private Path template() throws Exception {
        Path t = Files.createDirectories(dir.resolve("templates/pg/data"));
        Files.writeString(t.resolve("PG_VERSION"), "15\n");
        Files.createDirectories(t.resolve("base/1"));
        Files.write(t.resolve("base/1/1259"), new byte[64 * 1024]);
        Files.setPosixFilePermissions(t.resolve("base/1/1259"), PosixFilePermissions.fromString("rw-------"));
        return t;
    }

    /** An instance's data directory, in an instance directory that exists (as CREATE_DIRECTORIES leaves it). */
    private static Path dataDir(Path parent, String instance) throws Exception {
        return Files.createDirectories(parent.resolve(instance)).resolve("data");
    }

    private static void awaitSettled(Path template) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (SpareCopies.making(template) && System.nanoTime() < deadline) Thread.sleep(20);
        assertThat(SpareCopies.making(template)).as("the spare copy is still being made after 30 s").isFalse();
    }

    private static List<String> tree(Path root) throws Exception {
        try (Stream<Path> s = Files.walk(root)) {
            return s.map(p -> root.relativize(p) + (Files.isRegularFile(p) ? " " + p.toFile().length() : "")).sorted().toList();
        }
    }

    @Test
    void aCreateTakesTheSpareAndTheNextSpareIsMadeInTheBackground() throws Exception {
        Path template = template();
        assumeTrue(EngineFiles.roomFor(dir, 1 << 20), "the test's file system keeps its headroom");
        Templates.cloneInto(tools, template, dataDir(dir, "a"), "PG_VERSION", null);
        assertThat(tree(dir.resolve("a/data"))).isEqualTo(tree(template));
        awaitSettled(template);
        Path spare = SpareCopies.spareOf(template);
        assertThat(tree(spare)).as("a complete copy of the template").isEqualTo(tree(template));
        assertThat(Files.getPosixFilePermissions(spare.resolve("base/1/1259"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));

        Files.writeString(spare.resolve("marked-in-the-spare"), "x");   // shows which directory the next create got
        Templates.cloneInto(tools, template, dataDir(dir, "b"), "PG_VERSION", null);
        assertThat(dir.resolve("b/data/marked-in-the-spare")).as("the spare was renamed into place, not copied").exists();
        awaitSettled(template);
        assertThat(tree(spare)).as("a new spare, copied from the template").isEqualTo(tree(template));
    }

    @Test
    void aLeftoverOfAnInterruptedSpareIsNeverUsed() throws Exception {
        Path template = template();
        assumeTrue(EngineFiles.roomFor(dir, 1 << 20), "the test's file system keeps its headroom");
        Path leftover = Files.createDirectories(dir.resolve("templates/pg/data.spare.tmp-1-2"));
        Files.writeString(leftover.resolve("PG_VERSION"), "half-copied");
        Templates.cloneInto(tools, template, dataDir(dir, "a"), "PG_VERSION", null);
        assertThat(dir.resolve("a/data/PG_VERSION")).hasContent("15");
        awaitSettled(template);
        assertThat(leftover).doesNotExist();
        assertThat(SpareCopies.spareOf(template).resolve("PG_VERSION")).hasContent("15");
    }

    @Test
    void noSpareIsMadeWhenTheDiskWouldKeepLessThanItsHeadroom() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "mounts a small file system");
        Path small = Files.createDirectories(dir.resolve("small"));
        tools.self(List.of("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", small.toString()), null, null, java.time.Duration.ofSeconds(30));
        try {
            Path template = Files.createDirectories(small.resolve("templates/pg/data"));
            Files.writeString(template.resolve("PG_VERSION"), "15\n");
            Templates.cloneInto(tools, template, dataDir(small, "a"), "PG_VERSION", null);
            assertThat(small.resolve("a/data/PG_VERSION")).hasContent("15");
            awaitSettled(template);
            assertThat(SpareCopies.spareOf(template)).as("16 MiB keeps less than 1 GiB free").doesNotExist();
        } finally {
            tools.run(List.of("umount", "-l", small.toString()), null, null, java.time.Duration.ofSeconds(30), null);
        }
    }
}
