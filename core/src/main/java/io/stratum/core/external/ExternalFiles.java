package io.stratum.core.external;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What Stratum keeps on disk for an external instance: its CA certificate, when one was registered (0600). */
public final class ExternalFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ExternalFiles.class);

    private ExternalFiles() {}

    /**
     * Makes {@code file} hold exactly {@code pem}, or removes it when there is none, so a connection never trusts a CA
     * that is not the one registered now (consumers use the file when it exists, the system's CAs otherwise).
     */
    public static void syncCa(Path file, String pem) {
        try {
            if (pem == null) {
                Files.deleteIfExists(file);
                return;
            }
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && Files.readString(file).equals(pem)) return;
            Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            // a temporary file of this call's own: two checks of one external at once never write into each other's
            Path tmp = Files.createTempFile(file.getParent(), ".ca", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, pem);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Removes an external's directory; never follows a link out of it. */
    public static void remove(Path dir) {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (var paths = Files.walk(dir)) {
            for (Path f : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }
}
