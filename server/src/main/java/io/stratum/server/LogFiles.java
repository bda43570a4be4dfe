package io.stratum.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.FileSize;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.LoggerFactory;

/**
 * Sends the root logger to STRATUM_HOME/log/stratum.log once the home is known (the latest started home, when one JVM
 * runs several control planes one after another, as tests and benchmarks do). The log is bounded: it rolls at
 * {@link #MAX_FILE} into {@code stratum.log.1} ... {@code .4}, the oldest dropped; every file is 0600.
 */
final class LogFiles {
    static final FileSize MAX_FILE = FileSize.valueOf("10MB");
    static final int KEEP = 4;

    private LogFiles() {}

    /** How often the file's size is looked at (logback's default, a minute, lets a burst of logging go far past the limit). */
    static final ch.qos.logback.core.util.Duration CHECK_EVERY = ch.qos.logback.core.util.Duration.buildBySeconds(1);

    static void attach(Path logFile) {
        attach(logFile, MAX_FILE, CHECK_EVERY);
    }

    static void attach(Path logFile, FileSize maxFile, ch.qos.logback.core.util.Duration checkEvery) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var previous = root.getAppender("home-file");
        if (previous instanceof FileAppender<ILoggingEvent> f && logFile.toString().equals(f.getFile())) return;
        if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
        makePrivate(logFile);
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n");
        enc.start();
        PrivateRollingAppender file = new PrivateRollingAppender();
        file.setName("home-file");
        file.setContext(ctx);
        file.setFile(logFile.toString());
        file.setEncoder(enc);
        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(file);
        rolling.setFileNamePattern(logFile + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(KEEP);
        rolling.start();
        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(maxFile);
        trigger.setCheckIncrement(checkEvery);
        trigger.start();
        file.setRollingPolicy(rolling);
        file.setTriggeringPolicy(trigger);
        file.start();
        root.addAppender(file);
    }

    /** Creates the file 0600 before logback opens it (logback would create it with the process umask). */
    static void makePrivate(Path file) {
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot create " + file, e);
        }
    }

    /** Creates each new active file 0600 before opening it (rolled files keep their 0600 by rename). */
    static final class PrivateRollingAppender extends RollingFileAppender<ILoggingEvent> {
        @Override
        public void openFile(String fileName) throws IOException {
            makePrivate(Path.of(fileName));
            super.openFile(fileName);
        }
    }
}
