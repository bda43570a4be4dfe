package io.stratum.backup;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.stratum.core.port.BackupArchives;
import io.stratum.core.secret.IntegrityException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Backup archives in a {@link DirectoryStore}: dump → zstd → AES-256-GCM chunks → SHA-256, one object per backup. */
public final class StoredArchives implements BackupArchives {
    private final DirectoryStore store;

    public StoredArchives(DirectoryStore store) {
        this.store = store;
    }

    private static String key(String id) {
        return id + "/archive";
    }

    @Override
    public Written write(String id, byte[] dataKey, Dump dump) {
        ArchiveOutputStream[] archive = new ArchiveOutputStream[1];
        Counting[] dumped = new Counting[1];
        store.put(key(id), out -> {
            archive[0] = new ArchiveOutputStream(new KeepOpen(out), dataKey, id);
            try (ZstdOutputStream z = new ZstdOutputStream(archive[0], 3)) {
                dumped[0] = new Counting(z);
                dump.writeTo(dumped[0]);
            }
        });
        ArchiveOutputStream a = archive[0];
        return new Written(a.sha256Hex(), a.chunks(), dumped[0].bytes, a.storedBytes());
    }

    @Override
    public void verify(String id, byte[] dataKey, String sha256) {
        try (InputStream raw = store.get(key(id))) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = new ArchiveInputStream(new DigestInputStream(raw, digest), dataKey, id)) {
                in.transferTo(OutputStream.nullOutputStream());
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equals(sha256)) {
                throw new IntegrityException("backup " + id + ": the stored archive's SHA-256 is " + actual + ", expected " + sha256);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IntegrityException("backup " + id + ": its archive is missing from the store");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read backup " + id, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void read(String id, byte[] dataKey, Load load) {
        try (InputStream in = new ZstdInputStream(new ArchiveInputStream(store.get(key(id)), dataKey, id))) {
            load.readFrom(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read backup " + id, e);
        }
    }

    @Override
    public void delete(String id) {
        store.delete(key(id));
    }

    @Override
    public int removeIncomplete() {
        return store.removeTemporaries();
    }

    /** Counts the dump's bytes on their way to the compressor. */
    private static final class Counting extends FilterOutputStream {
        long bytes;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            bytes += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            bytes++;
        }
    }

    /** The store flushes and closes its own file after the archive is finished. */
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
