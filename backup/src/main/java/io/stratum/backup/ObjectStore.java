package io.stratum.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Objects of a backup store (a directory or an S3 bucket). An object written by {@link #put} appears only when it is
 * complete; {@link #get} of a missing object throws {@link java.nio.file.NoSuchFileException}.
 */
public interface ObjectStore {
    /** Streams {@code writer}'s output into object {@code key}; the object appears only when complete. */
    void put(String key, ObjectWriter writer);

    InputStream get(String key) throws IOException;

    void delete(String key);

    /** After a crash: removes objects (or uploads) that were never completed; returns how many. */
    int removeIncomplete();

    /** Writes an object's bytes (may throw; the partial object is then removed). */
    @FunctionalInterface
    interface ObjectWriter {
        void write(OutputStream out) throws IOException;
    }
}
