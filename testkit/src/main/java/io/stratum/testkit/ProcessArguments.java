package io.stratum.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What {@code ps} shows: the command lines of every process on the machine, checked for secrets. */
public final class ProcessArguments {
    private ProcessArguments() {}

    /** One line per process whose command line contains any of {@code secrets} (the secret itself is not repeated). */
    public static List<String> containing(List<String> secrets) {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmdline;
                try {
                    cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                } catch (IOException gone) {
                    continue;
                }
                for (int i = 0; i < secrets.size(); i++) {
                    if (cmdline.contains(secrets.get(i))) found.add("pid " + p.getFileName() + " carries secret #" + i);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list /proc", e);
        }
        return found;
    }
}
