package io.stratum.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.stratum.core.secret.IntegrityException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import io.stratum.testkit.BackupObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveTest {
    static final byte[] KEY = new byte[32];

    static {
        new SecureRandom().nextBytes(KEY);
    }

    /** Rows like a table dump: a recognisable value, numbers, some noise. */
    static byte[] dump(int rows) {
        Random r = new Random(42);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            sb.append(i).append('\t').append("customer-secret-").append(r.nextLong()).append('\t').append(r.nextInt()).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] archive(byte[] plain, String id) throws IOException {
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        ArchiveOutputStream archive = new ArchiveOutputStream(stored, KEY, id);
        try (ZstdOutputStream z = new ZstdOutputStream(archive)) {
            z.write(plain);
        }
        assertThat(archive.storedBytes()).isEqualTo(stored.size());
        assertThat(archive.sha256Hex()).isEqualTo(sha256(stored.toByteArray()));
        return stored.toByteArray();
    }

    static byte[] restore(byte[] stored, String id) throws IOException {
        try (InputStream in = new ZstdInputStream(new ArchiveInputStream(new ByteArrayInputStream(stored), KEY, id, "backup " + id))) {
            return in.readAllBytes();
        }
    }

    static byte[] open(byte[] stored, String context) throws IOException {
        try (InputStream in = new ArchiveInputStream(new ByteArrayInputStream(stored), KEY, context, context)) {
            return in.readAllBytes();
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aDumpComesBackByteForByteAcrossSeveralSegments() throws IOException {
        byte[] plain = dump(200_000);
        byte[] stored = archive(plain, "bk1");
        assertThat(stored.length).isGreaterThan(ArchiveOutputStream.SEGMENT_BYTES);
        assertThat(restore(stored, "bk1")).isEqualTo(plain);
        assertThat(restore(archive(new byte[0], "empty"), "empty")).isEmpty();
    }

    @Test
    void everyObjectHasItsOwnKeyAndNoncesEvenFromTheSameDataKeyAndName() throws IOException {
        byte[] plain = dump(1000);
        java.util.Set<BackupObjects.Header> headers = new java.util.HashSet<>();
        for (int i = 0; i < 20; i++) headers.add(BackupObjects.header(archive(plain, "bk-same")));
        assertThat(headers).as("20 objects, same key, same name, same content").hasSize(20);
        assertThat(headers.stream().map(BackupObjects.Header::salt).distinct()).hasSize(20);
        assertThat(headers.stream().map(BackupObjects.Header::noncePrefix).distinct()).hasSize(20);
    }

    @Test
    void storedBytesShowNoTableValue() throws IOException {
        byte[] stored = archive(dump(50_000), "bk2");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("customer-secret");
        assertThat(Arrays.copyOf(stored, 4)).as("format 2's magic").isEqualTo(new byte[] {'S', 'B', 'K', '2'});
    }

    @Test
    void damagedTruncatedExtendedOrForeignArchivesAreRefused() throws IOException {
        byte[] stored = archive(dump(200_000), "bk3");
        int secondSegment = ArchiveOutputStream.MAGIC.length + ArchiveOutputStream.SEGMENT_BYTES + 100;

        byte[] flipped = stored.clone();
        flipped[secondSegment] ^= 1;
        assertThatThrownBy(() -> restore(flipped, "bk3")).isInstanceOf(IntegrityException.class).hasMessageContaining("authentication");

        byte[] cutAtBoundary = Arrays.copyOf(stored, ArchiveOutputStream.MAGIC.length + ArchiveOutputStream.SEGMENT_BYTES);
        assertThatThrownBy(() -> restore(cutAtBoundary, "bk3")).isInstanceOf(IntegrityException.class);
        byte[] cutInside = Arrays.copyOf(stored, stored.length - 10);
        assertThatThrownBy(() -> restore(cutInside, "bk3")).isInstanceOf(IntegrityException.class);
        byte[] headerOnly = Arrays.copyOf(stored, 60);
        assertThatThrownBy(() -> restore(headerOnly, "bk3")).isInstanceOf(IntegrityException.class);

        assertThatThrownBy(() -> restore(stored, "bk-other")).as("another backup's name").isInstanceOf(IntegrityException.class);
        assertThatThrownBy(() -> open(stored, "bk3#manifest")).as("an archive is not a manifest").isInstanceOf(IntegrityException.class);
        byte[] extra = Arrays.copyOf(stored, stored.length + 1);
        assertThatThrownBy(() -> restore(extra, "bk3")).isInstanceOf(IntegrityException.class);
    }

    @Test
    void format1ObjectsFromOlderBackupsStillOpenAndStillRefuseTampering() throws IOException {
        byte[] plain = dump(200_000);
        byte[] stored = BackupObjects.format1(KEY, "bk-old", plain);
        assertThat(stored.length).isGreaterThan(2 * (1 << 20));
        assertThat(open(stored, "bk-old")).isEqualTo(plain);
        assertThat(open(BackupObjects.format1(KEY, "bk-old#manifest", new byte[0]), "bk-old#manifest")).isEmpty();
        byte[] flipped = stored.clone();
        flipped[(1 << 20) + 200] ^= 1;
        assertThatThrownBy(() -> open(flipped, "bk-old")).isInstanceOf(IntegrityException.class).hasMessageContaining("chunk 1");
        assertThatThrownBy(() -> open(Arrays.copyOf(stored, stored.length - 10), "bk-old")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> open(stored, "bk-other")).isInstanceOf(IntegrityException.class).hasMessageContaining("chunk 0");
    }

    @Test
    void aFailingStoreIsAnIoErrorNotAFailedAuthentication() throws IOException {
        byte[] stored = archive(dump(10_000), "bk8");
        InputStream failing = new java.io.FilterInputStream(new ByteArrayInputStream(stored, 0, 100)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n < 0) throw new IOException("connection reset by the store");
                return n;
            }
        };
        assertThatThrownBy(() -> new ArchiveInputStream(failing, KEY, "bk8", "bk8").readAllBytes())
                .isNotInstanceOf(IntegrityException.class).isInstanceOf(IOException.class).hasMessageContaining("connection reset");
    }

    @Test
    void aDirectoryStoreNeverShowsAPartialObject(@TempDir Path dir) throws IOException {
        DirectoryStore store = new DirectoryStore(dir);
        store.put("bk4/data", out -> out.write(archive(dump(1000), "bk4")));
        assertThat(store.list("bk4")).containsExactly("bk4/data");
        assertThatThrownBy(() -> store.put("bk5/data", out -> {
            out.write(new byte[4096]);
            throw new IOException("dump failed half way");
        })).hasMessageContaining("bk5/data");
        assertThat(store.exists("bk5/data")).isFalse();
        assertThat(store.list("bk5")).isEmpty();
        Files.createDirectories(dir.resolve("bk6"));
        Files.writeString(dir.resolve("bk6/data.partial"), "left by a crash");
        assertThat(store.removeIncomplete()).isEqualTo(1);
        assertThat(restore(store.get("bk4/data").readAllBytes(), "bk4")).isEqualTo(dump(1000));
    }

    /** Objects larger than the flush-ahead step (64 MiB) are flushed while written; what reads back is what was written. */
    @Test
    void aLargeObjectFlushedWhileWrittenReadsBackWholeAndAFailureHalfWayLeavesNothing(@TempDir Path dir) throws Exception {
        DirectoryStore store = new DirectoryStore(dir);
        byte[] block = new byte[1 << 20];
        new Random(5).nextBytes(block);
        java.security.MessageDigest written = java.security.MessageDigest.getInstance("SHA-256");
        store.put("bk9/archive", out -> {
            for (int i = 0; i < 150; i++) {
                int n = block.length - i; // odd sizes, so the 64 MiB steps fall inside writes
                out.write(block, 0, n);
                written.update(block, 0, n);
            }
        });
        java.security.MessageDigest read = java.security.MessageDigest.getInstance("SHA-256");
        try (InputStream in = new java.security.DigestInputStream(store.get("bk9/archive"), read)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(read.digest()).isEqualTo(written.digest());
        assertThatThrownBy(() -> store.put("bk10/archive", out -> {
            for (int i = 0; i < 140; i++) out.write(block);
            throw new IOException("the dump failed after 140 MiB");
        })).hasMessageContaining("bk10/archive");
        assertThat(store.exists("bk10/archive")).isFalse();
        try (var left = Files.list(dir.resolve("bk10"))) {
            assertThat(left).as("no partial object is left").isEmpty();
        }
    }

    @Test
    void aRestoreReaderFailsAtTheEndOfTheDumpWhenTheChecksumDiffersBeforeHandingAnythingOn(@TempDir Path dir) {
        StoredArchives archives = new StoredArchives(dir, new StoredArchives.StoreLookup() {
            @Override
            public java.util.Optional<io.stratum.core.backup.BackupStore> find(String name) {
                return java.util.Optional.empty();
            }

            @Override
            public java.util.List<io.stratum.core.backup.BackupStore> all() {
                return java.util.List.of();
            }

            @Override
            public String secretKey(io.stratum.core.backup.BackupStore store) {
                return null;
            }
        });
        byte[] plain = dump(50_000);
        var written = archives.write("default", "bk7", KEY, out -> {
            try {
                out.write(plain);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return java.util.List.of();
        }, io.stratum.core.port.BackupArchives.Progress.NONE);
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        archives.read("default", "bk7", KEY, written.sha256(), in -> copy(in, got), io.stratum.core.port.BackupArchives.Progress.NONE);
        assertThat(got.toByteArray()).isEqualTo(plain);

        boolean[] handedOn = {false};
        assertThatThrownBy(() -> archives.read("default", "bk7", KEY, "0".repeat(64), in -> {
            copy(in, new ByteArrayOutputStream());
            handedOn[0] = true;
        }, io.stratum.core.port.BackupArchives.Progress.NONE)).isInstanceOf(IntegrityException.class).hasMessageContaining("SHA-256");
        assertThat(handedOn[0]).as("the reader failed at the end of the dump, before handing it on").isFalse();
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        try {
            in.transferTo(out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
