package io.stratum.engines;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A SQL client ({@code psql} or {@code mariadb}) kept running for a conversation: one session, so one transaction can
 * span several requests (e.g. a snapshot shared with a dump). SQL goes to its stdin, never argv; each request ends with
 * a marker row so its output is read up to exactly there. The client must print unaligned rows and flush per query.
 */
public final class SqlSession implements AutoCloseable {
    private static final String END = "--stratum-end--";
    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final CompletableFuture<String> err;
    private final String tool;

    public SqlSession(List<String> argv, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        ToolRunner.environment(pb, env);
        int dashes = argv.get(0).equals("setpriv") ? argv.indexOf("--") : -1;
        tool = java.nio.file.Path.of(argv.get(dashes >= 0 ? dashes + 1 : 0)).getFileName().toString();
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new ToolException("cannot run " + tool + ": " + e.getMessage() + " (is it installed? run 'bin/stratum setup')");
        }
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, ToolRunner.PUMPS);
    }

    /** How long one request may take before the session is ended (a database that stops answering never hangs a step). */
    static final java.time.Duration QUERY_TIMEOUT = java.time.Duration.ofHours(2);
    private static final java.util.concurrent.ScheduledExecutorService WATCHDOG =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sql-session-watchdog");
                t.setDaemon(true);
                return t;
            });

    /** Runs {@code sql} (one or more statements, each ending in ';') and returns the rows it printed. */
    public List<String> query(String sql) {
        return query(sql, QUERY_TIMEOUT);
    }

    /** {@link #query(String)} ended (the client killed, a ToolException) after {@code timeout}. */
    public List<String> query(String sql, java.time.Duration timeout) {
        boolean[] timedOut = {false};
        var watchdog = WATCHDOG.schedule(() -> {
            timedOut[0] = true;
            process.destroyForcibly();
        }, timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            return exchange(sql);
        } catch (ToolException e) {
            if (timedOut[0]) throw new ToolException(tool + " did not answer within " + timeout.toSeconds() + " s; the session was ended");
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    private List<String> exchange(String sql) {
        try {
            in.write(sql.strip() + "\nSELECT '" + END + "';\n");
            in.flush();
            List<String> rows = new ArrayList<>();
            for (String line = out.readLine(); ; line = out.readLine()) {
                if (line == null) throw failed();
                if (line.equals(END)) return rows;
                rows.add(line);
            }
        } catch (IOException e) {
            throw failed();
        }
    }

    private ToolException failed() {
        process.destroyForcibly();
        String detail = err.join().strip();
        return new ToolException(tool + " session ended: " + (detail.isEmpty() ? "exit " + exitValue() : detail));
    }

    private String exitValue() {
        try {
            process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS);
            return String.valueOf(process.exitValue());
        } catch (InterruptedException | IllegalThreadStateException e) {
            return "unknown";
        }
    }

    /** Ends the session (an open transaction is rolled back with it). */
    @Override
    public void close() {
        try {
            in.close();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (IOException | InterruptedException e) {
            process.destroyForcibly();
        }
    }
}
