package io.stratum.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One bash process that runs commands one after another, as a user typing them would: variables, functions and the
 * working directory carry over from one command to the next. Each command's stdout and stderr go to files of its own.
 */
final class ShellSession implements AutoCloseable {
    /** What a command did: its exit code ({@code null} when it was still running and was stopped), stdout, stderr. */
    record Result(Integer exit, String stdout, String stderr) {}

    private static final String MARK = "::readme-tour-rc=";
    private final Path dir;
    private final Process bash;
    private final Writer stdin;
    private final BlockingQueue<String> marks = new LinkedBlockingQueue<>();
    private int count;

    ShellSession(Path dir, Map<String, String> env) throws IOException {
        this.dir = dir;
        ProcessBuilder pb = new ProcessBuilder("bash", "--noprofile", "--norc").directory(dir.toFile())
                .redirectError(dir.resolve("bash.err").toFile());
        pb.environment().putAll(env);
        bash = pb.start();
        stdin = new java.io.OutputStreamWriter(bash.getOutputStream(), StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(bash.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith(MARK)) marks.add(line.substring(MARK.length()));
                }
            } catch (IOException ignored) {
                // the session ended
            }
        }, "readme-tour-bash");
        reader.setDaemon(true);
        reader.start();
        // job control: a background command gets a process group of its own, so stopping it stops what it started;
        // pipefail: 'bk=$(bin/stratum backup create ... | jq -r .id)' fails when bin/stratum does, as in a careful script
        send("set -m -o pipefail\n");
    }

    /** Runs {@code command} to its end (at most {@code timeout}). */
    Result run(String command, Duration timeout) throws Exception {
        String n = String.valueOf(++count);
        send("{\n" + command + "\n} </dev/null >" + n + ".out 2>" + n + ".err; echo \"" + MARK + "$?\"\n");
        return result(n, timeout);
    }

    /**
     * Starts {@code command} and waits (at most {@code patience}) until it has printed something; then stops it if it
     * still runs (exit {@code null}), or reports how it ended.
     */
    Result runThenStop(String command, Duration patience) throws Exception {
        String n = String.valueOf(++count);
        long tenths = patience.toMillis() / 100;
        send("{\n" + command + "\n} </dev/null >" + n + ".out 2>" + n + ".err &\n"
                + "tour_job=$!; for tour_i in $(seq " + tenths + "); do [ -s " + n + ".out ] && break; kill -0 $tour_job 2>/dev/null || break; "
                + "sleep 0.1; done; sleep 0.5\n"
                + "if kill -0 $tour_job 2>/dev/null; then kill -TERM -- -$tour_job; wait $tour_job 2>/dev/null; echo \"" + MARK
                + "running\"; else wait $tour_job; echo \"" + MARK + "$?\"; fi\n");
        return result(n, patience.plusSeconds(30));
    }

    private void send(String text) throws IOException {
        stdin.write(text);
        stdin.flush();
    }

    private Result result(String n, Duration timeout) throws Exception {
        String rc = marks.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (rc == null) throw new AssertionError("no answer within " + timeout + "; bash stderr: " + Files.readString(dir.resolve("bash.err")));
        return new Result(rc.equals("running") ? null : Integer.valueOf(rc), Files.readString(dir.resolve(n + ".out")),
                Files.readString(dir.resolve(n + ".err")));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            send("exit\n");
        } catch (IOException ignored) {
            // already gone
        }
        if (!bash.waitFor(10, TimeUnit.SECONDS)) {
            // a command that never ended, and what it started (job control gave it a process group of its own)
            bash.descendants().forEach(ProcessHandle::destroyForcibly);
            bash.destroyForcibly();
        }
    }
}
