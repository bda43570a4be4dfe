package io.stratum.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stratum.testkit.Proc;
import io.stratum.testkit.TestHome;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * bin/stratum's class cache (an AOT cache on JDK 25+, a CDS archive before) as a user meets it: recorded after the first
 * call, never used for a jar it was not recorded from (a rebuilt jar's code runs at once), and a cache that cannot be
 * written or filled never fails a call.
 * Runs the real launcher scripts in a copy of the checkout holding only them and the packaged jar.
 */
class LauncherIT {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void aRebuiltJarRunsAtOnceAndItsOwnArchiveReplacesTheOldOne() throws Exception {
        try (TestHome scratch = TestHome.create("stratum-launcher-")) {
            Path root = checkout(scratch.root());
            Path cds = root.resolve("app/target/cds");
            var first = Proc.run(List.of(root.resolve("bin/stratum").toString(), "--version"), null, root, null, 120);
            assertThat(first.exit()).as(first.stderr()).isZero();
            assertThat(first.stdout().strip()).isEqualTo("stratum 0.1.0");
            assertThat(first.stderr()).isEmpty();
            await().atMost(Duration.ofSeconds(90)).until(() -> archives(cds).size() == 1 && !locked(cds));
            String recorded = archives(cds).get(0);
            var withArchive = Proc.run(List.of(root.resolve("bin/stratum").toString(), "--version"), null, root, null, 120);
            assertThat(withArchive.stdout().strip()).isEqualTo("stratum 0.1.0");
            assertThat(withArchive.stderr()).isEmpty();
            // the user's own JVM options (another collector: the JVM would reject the cache) run without it, silently
            var ownOptions = Proc.run(List.of(root.resolve("bin/stratum").toString(), "--version"),
                    Map.of("STRATUM_JAVA_OPTS", "-XX:+UseParallelGC -Xmx300m"), root, null, 120);
            assertThat(ownOptions.stdout().strip()).isEqualTo("stratum 0.1.0");
            assertThat(ownOptions.stderr()).isEmpty();
            // a cache the JVM rejects (damaged after it was checked) is ignored without a word
            Path cache = cds.resolve(recorded);
            byte[] good = Files.readAllBytes(cache);
            Files.write(cache, "not a class cache".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            var damaged = Proc.run(List.of(root.resolve("bin/stratum").toString(), "--version"), null, root, null, 120);
            assertThat(damaged.exit()).as(damaged.stderr()).isZero();
            assertThat(damaged.stdout().strip()).isEqualTo("stratum 0.1.0");
            assertThat(damaged.stderr()).isEmpty();
            Files.write(cache, good);

            // "a rebuild": a jar with other code, newer than the archive
            Path jar = root.resolve("app/target/stratum.jar");
            writeJar(jar, NextMain.class);
            Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(5)));
            var next = Proc.run(List.of(root.resolve("bin/stratum").toString(), "--version"), null, root, null, 120);
            assertThat(next.exit()).as(next.stderr()).isZero();
            assertThat(next.stdout().strip()).isEqualTo("next code");
            assertThat(next.stderr()).isEmpty();
            await().atMost(Duration.ofSeconds(90)).until(() -> !archives(cds).contains(recorded) && archives(cds).size() == 1 && !locked(cds));
        }
    }

    @Test
    void aCacheNoOneCanWriteOrThatFillsUpStillRunsTheCommand() throws Exception {
        Assumptions.assumeTrue(Proc.isRoot(), "runs a call as another user and mounts a full file system");
        try (TestHome scratch = TestHome.create("stratum-launcher-")) {
            Path root = checkout(scratch.root());
            // another user, no home: app/target is not theirs and there is no cache directory to fall back on
            var nobody = Proc.run(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--",
                    root.resolve("bin/stratum").toString(), "--version"), Map.of("HOME", "/nonexistent"), root, null, 120);
            assertThat(nobody.exit()).as(nobody.stderr()).isZero();
            assertThat(nobody.stdout().strip()).isEqualTo("stratum 0.1.0");
            assertThat(nobody.stderr()).isEmpty();
            assertThat(root.resolve("app/target/cds")).doesNotExist();

            // a cache directory that fills up while the archive is recorded: the call is unaffected, and it is not retried
            Path cds = root.resolve("app/target/cds");
            Files.createDirectories(cds);
            Proc.run("mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", cds.toString()).requireSuccess("mount");
            try {
                var full = Proc.run(List.of(root.resolve("bin/stratum").toString(), "--version"), null, root, null, 120);
                assertThat(full.exit()).as(full.stderr()).isZero();
                assertThat(full.stdout().strip()).isEqualTo("stratum 0.1.0");
                assertThat(full.stderr()).isEmpty();
                await().atMost(Duration.ofSeconds(90)).until(() -> failedMarker(cds) != null && !locked(cds));
                Path marker = failedMarker(cds);
                FileTime markedAt = Files.getLastModifiedTime(marker);
                Thread.sleep(1100);   // a new marker would have a later time

                var again = Proc.run(List.of(root.resolve("bin/stratum").toString(), "--version"), null, root, null, 120);
                assertThat(again.exit()).as(again.stderr()).isZero();
                assertThat(again.stdout().strip()).isEqualTo("stratum 0.1.0");
                Thread.sleep(3000);   // a retry would have started by now
                assertThat(locked(cds)).as("no second recording").isFalse();
                assertThat(Files.getLastModifiedTime(marker)).as("the failure is not recorded again").isEqualTo(markedAt);
                try (Stream<Path> left = Files.list(cds)) {
                    assertThat(left.map(p -> p.getFileName().toString()).toList()).singleElement().asString()
                            .matches("cli-.*\\.(jsa|aot)\\.failed");
                }
            } finally {
                Proc.run("umount", "-l", cds.toString());
            }
        }
    }

    /** A directory with the launcher scripts and the packaged jar, as a checkout has them (no sources: never rebuilt). */
    private static Path checkout(Path dir) throws IOException {
        Path root = dir.resolve("checkout");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("app/target"));
        for (String f : List.of("stratum", "lib.sh")) {
            Files.copy(ROOT.resolve("bin").resolve(f), root.resolve("bin").resolve(f), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.copy(ServerProcess.JAR, root.resolve("app/target/stratum.jar"));
        return root;
    }

    private static List<String> archives(Path cds) throws IOException {
        if (!Files.isDirectory(cds)) return List.of();
        try (Stream<Path> s = Files.list(cds)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jsa") || n.endsWith(".aot")).toList();
        }
    }

    private static Path failedMarker(Path cds) throws IOException {
        try (Stream<Path> s = Files.list(cds)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".failed")).findFirst().orElse(null);
        }
    }

    private static boolean locked(Path cds) throws IOException {
        if (!Files.isDirectory(cds)) return false;
        try (Stream<Path> s = Files.list(cds)) {
            return s.map(p -> p.getFileName().toString()).anyMatch(n -> n.endsWith(".lock") || n.endsWith(".tmp") || n.endsWith(".tmp.config"));
        }
    }

    /** A runnable jar holding one class, {@code type}, which is its main class. */
    private static void writeJar(Path jar, Class<?> type) throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, type.getName());
        String resource = type.getName().replace('.', '/') + ".class";
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, m);
             var in = type.getClassLoader().getResourceAsStream(resource)) {
            out.putNextEntry(new JarEntry(resource));
            in.transferTo(out);
            out.closeEntry();
        }
    }

    /** The "rebuilt" jar's code. */
    public static final class NextMain {
        public static void main(String[] args) {
            System.out.println("next code");
        }
    }
}
