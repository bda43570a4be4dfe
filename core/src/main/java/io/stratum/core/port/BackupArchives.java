package io.stratum.core.port;

import java.io.InputStream;
import java.io.OutputStream;

/** Where backup archives live and how they are written and read (compressed, encrypted in authenticated chunks). */
public interface BackupArchives {
    /** What was stored, to be checked when read back. */
    record Written(String sha256, long chunks, long dumpBytes, long storedBytes) {}

    @FunctionalInterface
    interface Dump {
        void writeTo(OutputStream out);
    }

    @FunctionalInterface
    interface Load {
        void readFrom(InputStream in);
    }

    /** Streams {@code dump} into backup {@code id}'s archive; the object appears only when complete. */
    Written write(String id, byte[] dataKey, Dump dump);

    /** Reads the whole archive: every chunk's tag and the SHA-256 must match; throws {@code IntegrityException}. */
    void verify(String id, byte[] dataKey, String sha256);

    /** Streams the decrypted, decompressed dump to {@code load} (call {@link #verify} first). */
    void read(String id, byte[] dataKey, Load load);

    void delete(String id);

    /** After a crash: removes archives that were never completed. */
    int removeIncomplete();
}
