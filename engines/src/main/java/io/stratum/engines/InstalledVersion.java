package io.stratum.engines;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version an engine binary reports ({@code BINARY --version}), asked once and remembered: it does not change
 * under a running control plane. Empty while the binary is missing, so a later install is still found.
 */
public final class InstalledVersion {
    private final Path binary;
    private final Pattern version;
    private volatile List<String> known;

    /** {@code version}'s first group is the version to report, e.g. {@code (\d+\.\d+)\.\d+-MariaDB}. */
    public InstalledVersion(Path binary, String version) {
        this.binary = binary;
        this.version = Pattern.compile(version);
    }

    public List<String> versions() {
        List<String> k = known;
        if (k != null) return k;
        if (!Files.isExecutable(binary)) return List.of();
        var r = new ToolRunner(null).run(List.of(binary.toString(), "--version"), null, null, Duration.ofSeconds(10), null);
        Matcher m = version.matcher(r.stdout());
        if (!m.find()) return List.of();
        known = List.of(m.group(1));
        return known;
    }
}
