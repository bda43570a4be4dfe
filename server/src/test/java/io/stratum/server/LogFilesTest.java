package io.stratum.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.core.util.FileSize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The server log is bounded: it rolls at its size limit, keeps four old files and drops the oldest; every file is 0600. */
class LogFilesTest {
    @Test
    void theServerLogRollsKeepsFourOldFilesAndEveryFileIsPrivate(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("stratum.log");
        var root = ((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory()).getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var console = root.getAppender("stderr");
        if (console != null) root.detachAppender(console); // 150 KB of test lines on the build's output helps no one
        try {
            LogFiles.attach(log, FileSize.valueOf("16KB"), ch.qos.logback.core.util.Duration.buildByMilliseconds(50));
            var logger = LoggerFactory.getLogger("io.stratum.server.LogFilesTest");
            for (int i = 0; i < 1200; i++) {
                logger.warn("line {} {}", i, "x".repeat(100)); // about 150 KB: far more than 5 files of 16 KB hold
                if (i % 40 == 39) Thread.sleep(70); // the size is checked at most every 50 ms here (every second in the server)
            }
        } finally {
            var file = root.getAppender("home-file");
            if (file != null) {
                root.detachAppender(file);
                file.stop();
            }
            if (console != null) root.addAppender(console);
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        }
        assertThat(files).extracting(p -> p.getFileName().toString())
                .containsExactly("stratum.log", "stratum.log.1", "stratum.log.2", "stratum.log.3", "stratum.log.4");
        for (Path f : files) {
            assertThat(Files.size(f)).as(f.toString()).isLessThan(24 * 1024);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("rw-------");
        }
        assertThat(Files.readString(log)).contains("line 1199 ");
        assertThat(Files.readString(dir.resolve("stratum.log.4"))).doesNotContain("line 0 ");
    }
}
