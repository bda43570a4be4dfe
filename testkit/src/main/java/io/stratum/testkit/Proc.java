package io.stratum.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a command (argv list, never a shell string) with a timeout and returns its exit code and output. */
public final class Proc {
    /** Pipe readers on their own threads (the common pool has one worker on 2 cores). */
    private static final java.util.concurrent.ExecutorService PUMPS = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();

    private Proc() {}

    public record Result(int exit, String stdout, String stderr) {
        public Result requireSuccess(String what) {
            if (exit != 0) throw new IllegalStateException(what + " failed (exit " + exit + "): " + stderr + stdout);
            return this;
        }
    }

    public static Result run(List<String> argv, Map<String, String> env, Path dir, String stdin, long timeoutSeconds) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv);
            if (env != null) pb.environment().putAll(env);
            if (dir != null) pb.directory(dir.toFile());
            Process p = pb.start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()), PUMPS);
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()), PUMPS);
            try (var in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(argv + " timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Result run(String... argv) {
        return run(List.of(argv), null, null, null, 120);
    }

    /** Prefixes argv to run as the unprivileged 'stratum' user when this JVM runs as root. */
    public static List<String> asEngineUser(List<String> argv) {
        if (!isRoot()) return argv;
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "stratum", "--"));
        full.addAll(argv);
        return full;
    }

    /** SIGKILL for a process and everything it started (e.g. behind runuser), then waits for it. */
    public static void killTree(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
