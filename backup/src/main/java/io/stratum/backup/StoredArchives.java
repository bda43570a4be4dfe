package io.stratum.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.stratum.core.backup.BackupManifest;
import io.stratum.core.backup.BackupStore;
import io.stratum.core.port.BackupArchives;
import io.stratum.core.secret.IntegrityException;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Backup archives in object stores: dump → zstd → sealed ({@link ArchiveOutputStream}: format 2, a key and nonces of its
 * own per object) → SHA-256, one {@code ID/archive} object per backup, next to an {@code ID/manifest} object sealed
 * from the same data key for another context. Objects of format 1 (older backups) are still read. The {@code default}
 * store is a directory; other stores are looked up by name.
 */
public final class StoredArchives implements BackupArchives {
    /** Absent values are left out (a table's column order, set only for some): a manifest reads the same either way. */
    private static final ObjectMapper JSON = new ObjectMapper().setDefaultPropertyInclusion(
            com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL);
    /**
     * zstd level 1 on two workers: on database dumps it stores about what level 3 does (measured: 148 vs 152 MB of a
     * 259 MB dump of random-ish rows) for about 60% of the CPU, which a backup on a busy database host competes for.
     */
    static final int ZSTD_LEVEL = 1;
    /** Blocks of 1 MiB read ahead of a restore or a check. */
    static final int READ_AHEAD_BLOCKS = 8;
    /** Blocks of 1 MiB of compressed dump waiting to be sealed and stored. */
    static final int WRITE_BEHIND_BLOCKS = 8;
    private final DirectoryStore defaultStore;
    private final StoreLookup lookup;
    private final Map<String, Opened> opened = new ConcurrentHashMap<>();

    /** The stores users added, and their secret keys (read from the secret store when a store is first used). */
    public interface StoreLookup {
        Optional<BackupStore> find(String name);

        List<BackupStore> all();

        String secretKey(BackupStore store);
    }

    private record Opened(BackupStore spec, ObjectStore store) {}

    public StoredArchives(Path defaultDirectory, StoreLookup lookup) {
        this.defaultStore = new DirectoryStore(defaultDirectory);
        this.lookup = lookup;
    }

    private ObjectStore store(String name) {
        if (BackupStore.DEFAULT.equals(name)) return defaultStore;
        BackupStore spec = lookup.find(name).orElseThrow(() -> new IllegalStateException("backup store " + name + " does not exist"));
        Opened o = opened.compute(name, (n, old) -> old != null && old.spec().equals(spec) ? old : new Opened(spec, open(spec, lookup.secretKey(spec))));
        return o.store();
    }

    private static ObjectStore open(BackupStore s, String secretKey) {
        return s.type() == BackupStore.Type.DIRECTORY ? new DirectoryStore(Path.of(s.location()))
                : new S3Store(new S3Store.Settings(s.location(), s.bucket(), s.region(), s.prefix(), s.accessKey(), secretKey, s.pathStyle()));
    }

    private static String archiveKey(String id) {
        return id + "/archive";
    }

    private static String manifestKey(String id) {
        return id + "/manifest";
    }

    /** The manifest's chunks are bound to this context, not the archive's: one cannot stand in for the other. */
    private static String manifestContext(String id) {
        return id + "#manifest";
    }

    @Override
    public Written write(String store, String id, byte[] dataKey, Dump dump, Progress progress) {
        ArchiveOutputStream[] archive = new ArchiveOutputStream[1];
        Counting[] dumped = new Counting[1];
        List<?>[] tables = new List<?>[1];
        store(store).put(archiveKey(id), out -> {
            archive[0] = new ArchiveOutputStream(new KeepOpen(out), dataKey, id);
            // sealing, hashing and writing the store run on a thread of their own, beside the dump and its compression
            WriteBehind sealing = new WriteBehind(archive[0], WRITE_BEHIND_BLOCKS, "seal-" + id);
            ZstdOutputStream z = null;
            try {
                z = new ZstdOutputStream(sealing, ZSTD_LEVEL);
                z.setWorkers(2);
                dumped[0] = new Counting(z, progress);
                tables[0] = dump.writeTo(dumped[0]);
                z.close();
            } catch (Throwable e) {
                sealing.abandon(); // nothing more is sealed: the store discards the partial object
                if (z != null) closeQuietly(z);
                throw e;
            }
        });
        ArchiveOutputStream a = archive[0];
        @SuppressWarnings("unchecked")
        List<io.stratum.core.backup.TableStat> stats = (List<io.stratum.core.backup.TableStat>) tables[0];
        return new Written(a.sha256Hex(), a.chunks(), dumped[0].bytes, a.storedBytes(), stats == null ? List.of() : List.copyOf(stats));
    }

    @Override
    public String writeManifest(String store, String id, byte[] dataKey, BackupManifest manifest) {
        ArchiveOutputStream[] sealed = new ArchiveOutputStream[1];
        store(store).put(manifestKey(id), out -> {
            sealed[0] = new ArchiveOutputStream(new KeepOpen(out), dataKey, manifestContext(id));
            try (OutputStream m = sealed[0]) {
                m.write(JSON.writeValueAsBytes(manifest));
            }
        });
        return sealed[0].sha256Hex();
    }

    @Override
    public BackupManifest readManifest(String store, String id, byte[] dataKey, String sha256) {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        readChecked(store, manifestKey(id), manifestContext(id), dataKey, sha256, plain, "manifest");
        try {
            BackupManifest m = JSON.readValue(plain.toByteArray(), BackupManifest.class);
            if (!id.equals(m.backupId())) throw new IntegrityException("backup " + id + ": the manifest describes backup " + m.backupId());
            return m;
        } catch (IOException e) {
            throw new IntegrityException("backup " + id + ": the manifest is not readable (" + e.getMessage() + ")");
        }
    }

    @Override
    public void verify(String store, String id, byte[] dataKey, String sha256) {
        readChecked(store, archiveKey(id), id, dataKey, sha256, OutputStream.nullOutputStream(), "archive");
    }

    @Override
    public void verifyStored(String store, String id, String sha256) {
        try (InputStream raw = store(store).get(archiveKey(id))) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new DigestInputStream(raw, digest)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            requireSha(id, "archive", HexFormat.of().formatHex(digest.digest()), sha256);
        } catch (NoSuchFileException e) {
            throw new IntegrityException("backup " + id + ": its archive is missing from store " + store);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read backup " + id + " from store " + store, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireSha(String id, String what, String actual, String expected) {
        if (!actual.equals(expected)) {
            throw new IntegrityException("backup " + id + ": the stored " + what + "'s SHA-256 is " + actual + ", expected " + expected);
        }
    }

    /** Reads an object through chunk authentication and its SHA-256; {@code out} gets the plain bytes. */
    private void readChecked(String store, String key, String context, byte[] dataKey, String sha256, OutputStream out, String what) {
        String id = key.substring(0, key.indexOf('/'));
        try (InputStream raw = store(store).get(key)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            // an archive is hashed on a thread of its own, ahead of its decryption; a manifest (a few KiB) is read at once
            InputStream digested = new DigestInputStream(raw, digest);
            try (InputStream hashed = "archive".equals(what) ? new ReadAhead(digested, () -> {}, READ_AHEAD_BLOCKS, "check-" + id) : digested;
                 InputStream in = new ArchiveInputStream(hashed, dataKey, context, "backup " + id + "'s " + what)) {
                in.transferTo(out);
            } catch (IntegrityException e) {
                if (!"manifest".equals(what)) throw e;
                throw new IntegrityException("backup " + id + ": its manifest does not open with this backup's key and id (changed, or "
                        + "taken from another backup): " + e.getMessage());
            }
            requireSha(id, what, HexFormat.of().formatHex(digest.digest()), sha256);
        } catch (NoSuchFileException e) {
            throw new IntegrityException("backup " + id + ": its " + what + " is missing from store " + store);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read backup " + id + " from store " + store, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void read(String store, String id, byte[] dataKey, String sha256, Load load, Progress progress) {
        try {
            ShaAtEnd raw = new ShaAtEnd(new CountingIn(store(store).get(archiveKey(id)), progress), id, sha256);
            // three stages, each on a thread of its own: reading, hashing and authenticating; decompressing; the engine's load
            try (ReadAhead plain = new ReadAhead(new ArchiveInputStream(raw, dataKey, id, "backup " + id + "'s archive"), raw::finish,
                    READ_AHEAD_BLOCKS, "read-" + id); InputStream unzstd = new ZstdInputStream(plain);
                 ReadAhead in = new ReadAhead(unzstd, () -> {}, READ_AHEAD_BLOCKS, "unzstd-" + id)) {
                load.readFrom(in);
                // whatever the load left, so the check at the end runs
                in.transferTo(OutputStream.nullOutputStream());
                plain.transferTo(OutputStream.nullOutputStream());
            } finally {
                raw.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read backup " + id, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void delete(String store, String id) {
        ObjectStore s = store(store);
        s.delete(archiveKey(id));
        s.delete(manifestKey(id));
    }

    @Override
    public int removeIncomplete() {
        int removed = defaultStore.removeIncomplete();
        for (BackupStore s : lookup.all()) {
            try {
                removed += store(s.name()).removeIncomplete();
            } catch (RuntimeException e) {
                // an unreachable store is checked again at the next start; its backups fail on use, loudly
            }
        }
        return removed;
    }

    @Override
    public void check(BackupStore spec, String secretKey, boolean createBucket) {
        ObjectStore s = open(spec, secretKey);
        try {
            if (createBucket && s instanceof S3Store s3) s3.createBucket();
            String key = ".stratum-check-" + Long.toHexString(System.nanoTime());
            byte[] probe = "stratum store check".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            s.put(key, out -> out.write(probe));
            try (InputStream in = s.get(key)) {
                if (!java.util.Arrays.equals(in.readAllBytes(), probe)) throw new IllegalStateException("the object read back differs");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                s.delete(key);
            }
        } finally {
            if (s instanceof S3Store s3) s3.close();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // the failure being reported is the one that matters
        }
    }

    /** Counts the dump's bytes on their way to the compressor. */
    private static final class Counting extends FilterOutputStream {
        private final Progress progress;
        long bytes;

        Counting(OutputStream out, Progress progress) {
            super(out);
            this.progress = progress;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes += len;
            progress.moved(bytes);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes++;
        }
    }

    /**
     * Hashes the stored bytes as they are read and compares the SHA-256 the moment the object ends, so a reader that
     * consumes the dump to its end (as a restore into a file does) fails before it hands anything on.
     */
    private static final class ShaAtEnd extends FilterInputStream {
        private final MessageDigest digest;
        private final String id;
        private final String expected;
        private boolean checked;

        ShaAtEnd(InputStream in, String id, String expected) throws NoSuchAlgorithmException {
            super(in);
            this.digest = MessageDigest.getInstance("SHA-256");
            this.id = id;
            this.expected = expected;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) digest.update(b, off, n);
            if (n < 0 && !checked) {
                checked = true;
                requireSha(id, "archive", HexFormat.of().formatHex(digest.digest()), expected);
            }
            return n;
        }

        /** Reads whatever the reader left and checks, if the end was not reached yet. */
        void finish() throws IOException {
            byte[] rest = new byte[8192];
            while (!checked) read(rest, 0, rest.length);
        }
    }

    /** Counts stored bytes read back during a restore. */
    private static final class CountingIn extends FilterInputStream {
        private final Progress progress;
        private long bytes;

        CountingIn(InputStream in, Progress progress) {
            super(in);
            this.progress = progress;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) progress.moved(bytes += n);
            return n;
        }
    }

    /** The store flushes and closes its own object after the archive is finished. */
    private static final class KeepOpen extends FilterOutputStream {
        KeepOpen(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }
}
