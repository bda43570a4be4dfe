package io.stratum.engines;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs external tools: argv lists (never a shell string), a timeout, stdout and stderr kept, secrets only through
 * the environment or stdin. When {@code engineUser} is set (the control plane runs as root), {@link #engine} and
 * {@link #streamAsUser} run the tool as that user via {@code setpriv}; {@link #self} and {@link #stream} as the control
 * plane's own user.
 */
public final class ToolRunner {
    /** The result of a finished tool. */
    public record Result(int exit, String stdout, String stderr) {}

    private final String engineUser;
    /**
     * Pipe pumps run on their own (virtual) threads: on the common pool, with one worker on 2 cores, a blocked stderr
     * reader would starve the stdin feeder of a restore and deadlock it.
     */
    public static final java.util.concurrent.ExecutorService PUMPS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    public ToolRunner(String engineUser) {
        this.engineUser = engineUser;
    }

    /** What a tool or engine inherits: a fixed PATH and locale, no HOME, and nothing of the control plane's environment. */
    static final Map<String, String> BASE_ENVIRONMENT = Map.of("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            "LC_ALL", "C.UTF-8", "HOME", "/nonexistent");

    /**
     * Gives a process only {@link #BASE_ENVIRONMENT} and {@code env}: the control plane's own environment (the metadata
     * store's password, cloud credentials) never reaches an engine, whose user could read it in /proc, or a tool.
     */
    public static void environment(ProcessBuilder pb, Map<String, String> env) {
        pb.environment().clear();
        pb.environment().putAll(BASE_ENVIRONMENT);
        if (env != null) pb.environment().putAll(env);
    }

    /** Argv prefix that runs a command as the engine user (empty when there is none). */
    public List<String> asEngineUser() {
        return engineUser == null ? List.of()
                : List.of("setpriv", "--reuid=" + engineUser, "--regid=" + engineUser, "--init-groups", "--");
    }

    /** {@code argv} run as the engine user (unchanged when there is none). */
    public List<String> asEngineUser(List<String> argv) {
        List<String> full = new ArrayList<>(asEngineUser());
        full.addAll(argv);
        return full;
    }

    /** {@link #stream} as the engine user. */
    public void streamAsUser(List<String> argv, Map<String, String> env, java.io.InputStream in, java.io.OutputStream out,
                             Duration timeout) {
        stream(asEngineUser(argv), env, in, out, timeout);
    }

    /** Runs as the engine user and requires exit 0. */
    public Result engine(List<String> argv, Map<String, String> env, String stdin, Duration timeout) {
        return require(run(asEngineUser(argv), env, stdin, timeout, null), argv);
    }

    /** Runs as the control plane's own user and requires exit 0. */
    public Result self(List<String> argv, Map<String, String> env, String stdin, Duration timeout) {
        return require(run(argv, env, stdin, timeout, null), argv);
    }

    /** Runs without checking the exit code. */
    public Result run(List<String> argv, Map<String, String> env, String stdin, Duration timeout, Path dir) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        ToolRunner.environment(pb, env);
        if (dir != null) pb.directory(dir.toFile());
        if (stdin == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ToolException("cannot run " + argv.get(0) + ": " + e.getMessage() + " (is it installed? run 'bin/stratum setup')");
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), PUMPS);
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), PUMPS);
        try {
            if (stdin != null) {
                try (var in = p.getOutputStream()) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new ToolException(name(argv) + " did not finish within " + timeout.toSeconds() + " s");
            }
        } catch (IOException e) {
            throw new ToolException(name(argv) + " failed: " + e.getMessage());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ToolException(name(argv) + " was interrupted");
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    /**
     * Runs as the control plane's own user with stdout streamed to {@code out} (or stdin streamed from {@code in}),
     * for dumps and restores too large to hold in memory; stderr is kept for the error; requires exit 0.
     */
    public void stream(List<String> argv, Map<String, String> env, java.io.InputStream in, java.io.OutputStream out, Duration timeout) {
        stream(argv, env, in, out, timeout, null);
    }

    /**
     * {@link #stream} that also stops the tool (and fails with {@code abort}'s reason) the moment {@code abort} answers
     * a reason, checked four times a second while the tool runs; for tools that write files, not stdout.
     */
    public void stream(List<String> argv, Map<String, String> env, java.io.InputStream in, java.io.OutputStream out, Duration timeout,
                       java.util.function.Supplier<String> abort) {
        if (abort != null && out != null) throw new IllegalArgumentException("a watched tool writes files, not stdout");
        pump(argv, env, in, out == null ? null : stdout -> stdout.transferTo(out), timeout, abort);
    }

    /** What reads a tool's stdout while it runs, to its end (or until it fails). */
    @FunctionalInterface
    public interface StdoutReader {
        void read(InputStream stdout) throws IOException;
    }

    /** {@link #stream} as the engine user, with its stdout read by {@code reader}. */
    public void readAsUser(List<String> argv, Map<String, String> env, StdoutReader reader, Duration timeout) {
        pump(asEngineUser(argv), env, null, reader, timeout, null);
    }

    private void pump(List<String> argv, Map<String, String> env, java.io.InputStream in, StdoutReader out, Duration timeout,
                      java.util.function.Supplier<String> abort) {
        ProcessBuilder pb = new ProcessBuilder(argv);
        ToolRunner.environment(pb, env);
        if (in == null) pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        if (out == null) pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new ToolException("cannot run " + argv.get(0) + ": " + e.getMessage() + " (is it installed? run 'bin/stratum setup')");
        }
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), PUMPS);
        CompletableFuture<Void> feed = in == null ? CompletableFuture.completedFuture(null) : CompletableFuture.runAsync(() -> {
            try (var stdin = p.getOutputStream()) {
                in.transferTo(stdin);
            } catch (IOException e) {
                p.destroyForcibly();
                throw new java.io.UncheckedIOException(e);
            }
        }, PUMPS);
        try {
            if (out != null) out.read(p.getInputStream());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!p.waitFor(abort == null ? timeout.toMillis() : 250, TimeUnit.MILLISECONDS)) {
                String reason = abort == null ? null : abort.get();
                if (reason != null) {
                    stop(p);
                    throw new ToolException(name(argv) + " was stopped: " + reason);
                }
                if (abort == null || System.nanoTime() > deadline) {
                    stop(p);
                    throw new ToolException(name(argv) + " did not finish within " + timeout.toSeconds() + " s");
                }
            }
            feed.join();
        } catch (IOException | java.util.concurrent.CompletionException e) {
            p.destroyForcibly();
            throw new ToolException(name(argv) + " failed: " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
        } catch (RuntimeException e) {
            p.destroyForcibly(); // the reader failed: the tool must not stay blocked on a full pipe
            throw e;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new ToolException(name(argv) + " was interrupted");
        }
        require(new Result(p.exitValue(), "", err.join()), argv);
    }

    /**
     * Stops a tool and the processes it started (pg_dump's and pg_restore's parallel workers): SIGTERM first, which
     * those tools pass on to their workers, then SIGKILL to whatever of them still runs 2 s later.
     */
    static void stop(Process p) {
        List<ProcessHandle> workers = p.descendants().toList();
        p.destroy();
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static Result require(Result r, List<String> argv) {
        if (r.exit() != 0) {
            String detail = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
            if (detail.length() > 2000) detail = detail.substring(detail.length() - 2000);
            throw new ToolException(name(argv) + " exited with " + r.exit() + ": " + detail);
        }
        return r;
    }

    /** The tool's name, past a {@code setpriv ... --} prefix. */
    private static String name(List<String> argv) {
        int dashes = argv.get(0).equals("setpriv") ? argv.indexOf("--") : -1;
        String tool = dashes >= 0 && dashes + 1 < argv.size() ? argv.get(dashes + 1) : argv.get(0);
        return Path.of(tool).getFileName().toString();
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
