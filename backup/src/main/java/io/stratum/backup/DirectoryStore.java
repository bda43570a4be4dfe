package io.stratum.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * A backup store in a local directory. An object is written to a temporary file, flushed to disk, then renamed into
 * place: a reader (or a control plane restarted after a crash) never sees a partial object, and stray temporaries are
 * removed by {@link #removeIncomplete()}.
 */
public final class DirectoryStore implements ObjectStore {
    private static final String TMP_SUFFIX = ".partial";
    /** Objects are readable by the control plane's user only (they are encrypted, but their names and sizes are not). */
    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE_DIR =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    private static final java.nio.file.attribute.FileAttribute<?> PRIVATE_FILE =
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    private final Path root;

    public DirectoryStore(Path root) {
        this.root = root;
    }

    @Override
    public void put(String key, ObjectWriter writer) {
        Path target = path(key);
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        try {
            Files.createDirectories(target.getParent(), PRIVATE_DIR);
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE), PRIVATE_FILE)) {
                FlushingAhead out = new FlushingAhead(java.nio.channels.Channels.newOutputStream(ch), ch);
                writer.write(out);
                out.flush();
                out.awaitFlush(); // on a failure the channel's close waits for a flush still running
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // the rename itself is made durable too: after a power cut the object is there under its name, not as a
            // partial file that removeIncomplete() would delete while the backup is recorded as available
            for (Path dir = target.getParent(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
                try (FileChannel entries = FileChannel.open(dir, StandardOpenOption.READ)) {
                    entries.force(true);
                }
            }
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw new UncheckedIOException("cannot store " + key + " in " + root, e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    @Override
    public InputStream get(String key) throws IOException {
        return Files.newInputStream(path(key));
    }

    public boolean exists(String key) {
        return Files.isRegularFile(path(key));
    }

    @Override
    public void delete(String key) {
        deleteQuietly(path(key));
    }

    /** Keys under {@code prefix} (e.g. a backup's id), temporaries excluded. */
    public List<String> list(String prefix) {
        Path dir = path(prefix);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(k -> !k.endsWith(TMP_SUFFIX)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int removeIncomplete() {
        if (!Files.isDirectory(root)) return 0;
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> partial = files.filter(p -> p.getFileName().toString().endsWith(TMP_SUFFIX)).toList();
            partial.forEach(DirectoryStore::deleteQuietly);
            return partial.size();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Starts writing an object's pages to disk while it is still being written: after each {@value #FLUSH_BYTES} bytes
     * a thread of its own flushes what the file holds so far ({@code fdatasync}), unless the last flush still runs. The
     * final flush before the rename then has little left to do, instead of a whole archive's worth of I/O after the
     * last byte.
     */
    private static final class FlushingAhead extends java.io.FilterOutputStream {
        static final long FLUSH_BYTES = 64L << 20;
        private final FileChannel channel;
        private long unflushed;
        private Thread flusher;
        private volatile IOException failure;

        FlushingAhead(OutputStream out, FileChannel channel) {
            super(out);
            this.channel = channel;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            unflushed += len;
            if (unflushed >= FLUSH_BYTES && (flusher == null || !flusher.isAlive())) {
                if (failure != null) throw failure;
                unflushed = 0;
                flusher = Thread.ofPlatform().daemon().name("flush-ahead").start(() -> {
                    try {
                        channel.force(false);
                    } catch (IOException e) {
                        failure = e;
                    }
                });
            }
        }

        @Override
        public void close() {
            // the store closes the channel itself, after the final flush
        }

        /** Waits for a flush still running (the channel is closed next) and reports its failure. */
        void awaitFlush() throws IOException {
            if (flusher != null) {
                try {
                    flusher.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while the object was flushed");
                }
            }
            if (failure != null) throw failure;
        }
    }

    private Path path(String key) {
        if (key.contains("..") || key.startsWith("/")) throw new IllegalArgumentException("bad object key " + key);
        return root.resolve(key);
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort
        }
    }
}
