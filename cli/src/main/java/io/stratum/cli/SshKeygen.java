package io.stratum.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** OpenSSH's {@code ssh-keygen}: makes an ed25519 key pair on this machine (the private key never leaves it). */
final class SshKeygen {
    private SshKeygen() {}

    /** Writes FILE (0600, no passphrase) and FILE.pub; returns the public key line. */
    static String ed25519(Path file, String comment) {
        if (Files.exists(file) || Files.exists(Path.of(file + ".pub"))) {
            throw new CliException(CliException.USAGE, "--out " + file + " already exists: choose another file (existing keys are "
                    + "never overwritten) or register it with --public-key-file " + file + ".pub");
        }
        List<String> argv = List.of("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file.toString());
        try {
            Process p = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new CliException(CliException.FAILED, "ssh-keygen failed: " + err.strip());
            }
            return Files.readString(Path.of(file + ".pub")).strip();
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot run ssh-keygen (install openssh-client): " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted");
        }
    }
}
