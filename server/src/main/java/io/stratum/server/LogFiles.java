package io.stratum.server;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import org.slf4j.LoggerFactory;

/**
 * Sends the root logger to STRATUM_HOME/log/stratum.log once the home is known (the latest started home, when one JVM
 * runs several control planes one after another, as tests and benchmarks do).
 */
final class LogFiles {
    private LogFiles() {}

    static void attach(Path logFile) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) return;
        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var previous = root.getAppender("home-file");
        if (previous instanceof FileAppender<ILoggingEvent> f && logFile.toString().equals(f.getFile())) return;
        if (previous != null) {
            root.detachAppender(previous);
            previous.stop();
        }
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%d{ISO8601} %-5level [%thread] %logger{36} - %msg%n");
        enc.start();
        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setName("home-file");
        file.setContext(ctx);
        file.setFile(logFile.toString());
        file.setEncoder(enc);
        file.start();
        root.addAppender(file);
    }
}
