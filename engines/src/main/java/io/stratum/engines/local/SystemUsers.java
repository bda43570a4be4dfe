package io.stratum.engines.local;

import io.stratum.engines.ToolException;
import io.stratum.engines.ToolRunner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * The OS users instances run as ({@code useradd}/{@code userdel}): one system user per instance, with its own group,
 * no home and no login shell. Names are {@code st-<name>-<hash>}: readable in {@code ps}, unique per Stratum home (two
 * homes on one machine never share one), within the 32 characters Linux allows. The hash has 64 bits: no tenant can
 * search for an instance name whose user would be another tenant's.
 */
final class SystemUsers {
    static final String PREFIX = "st-";
    /** useradd and userdel lock /etc/passwd: one at a time in this process, retried when another process holds it. */
    private static final Object LOCK = new Object();
    private final ToolRunner tools = new ToolRunner(null);

    /** The user for instance {@code name} of the home at {@code home}. */
    static String nameFor(Path home, String name) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((home.toAbsolutePath().normalize() + "\0" + name)
                    .getBytes(StandardCharsets.UTF_8));
            String shown = name.length() > 12 ? name.substring(0, 12) : name;
            return PREFIX + shown + "-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean isInstanceUser(String user) {
        return user != null && user.startsWith(PREFIX);
    }

    boolean exists(String user) {
        return tools.run(List.of("id", "-u", user), null, null, Duration.ofSeconds(10), null).exit() == 0;
    }

    /** Creates the user (and its group) unless it exists. */
    void ensure(String user) {
        synchronized (LOCK) {
            if (exists(user)) return;
            retry(List.of("useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent", "--shell",
                    "/usr/sbin/nologin", "--comment", "Stratum instance", user), "create the OS user " + user);
        }
    }

    /**
     * Removes the user and its group once its engine has stopped; a missing user is fine. {@code --force}: a stopped
     * engine can linger as a zombie until PID 1 reaps it, which plain userdel counts as the user still running.
     */
    void remove(String user) {
        synchronized (LOCK) {
            if (!exists(user)) return;
            retry(List.of("userdel", "--force", user), "remove the OS user " + user);
        }
    }

    /**
     * Ends every process of {@code user} (SIGKILL) and waits until none is left: whatever an engine's user started
     * dies with the instance's stop or deletion, so nothing of it survives to meet a later owner of the same uid.
     */
    void killAll(String user) {
        if (!isInstanceUser(user)) throw new IllegalArgumentException("only an instance's own user is killed wholesale: " + user);
        int uid = uid(user);
        if (uid < 0) return;
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
        // none running (a new user, a stopped engine): nothing can start one either, so there is nothing to kill
        while (livingProcesses(uid) > 0) {
            tools.run(List.of("pkill", "--signal", "KILL", "--uid", String.valueOf(uid)), null, null, Duration.ofSeconds(10), null);
            if (livingProcesses(uid) == 0) return;   // spares the wait
            if (System.nanoTime() > deadline) throw new ToolException("processes of " + user + " are still running after SIGKILL");
            io.stratum.engines.EngineFiles.sleep(50);
        }
    }

    private int uid(String user) {
        ToolRunner.Result r = tools.run(List.of("id", "-u", user), null, null, Duration.ofSeconds(10), null);
        return r.exit() == 0 ? Integer.parseInt(r.stdout().strip()) : -1;
    }

    /** Processes of {@code uid} that are not zombies (a zombie holds nothing and waits for PID 1 to reap it). */
    static int livingProcesses(int uid) {
        int n = 0;
        try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            for (java.nio.file.Path p : procs.filter(d -> d.getFileName().toString().matches("\\d+")).toList()) {
                long pid = Long.parseLong(p.getFileName().toString());
                if (io.stratum.engines.EngineFiles.alive(pid) && io.stratum.engines.EngineFiles.ownedBy(pid, uid)) n++;
            }
        } catch (java.io.IOException e) {
            return Integer.MAX_VALUE;
        }
        return n;
    }

    private void retry(List<String> argv, String what) {
        ToolRunner.Result r = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            r = tools.run(argv, null, null, Duration.ofSeconds(30), null);
            if (r.exit() == 0) return;
            if (!r.stderr().contains("lock")) break; // another useradd holds /etc/passwd: wait and retry
            io.stratum.engines.EngineFiles.sleep(100);
        }
        throw new ToolException("cannot " + what + ": " + r.stderr().strip());
    }
}
