package io.stratum.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.ZstdInputStream;
import com.github.luben.zstd.ZstdOutputStream;
import io.stratum.core.secret.IntegrityException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
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
        try (InputStream in = new ZstdInputStream(new ArchiveInputStream(new ByteArrayInputStream(stored), KEY, id))) {
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

    /** Offsets of each chunk's length field. */
    static int[] chunkOffsets(byte[] stored) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(stored));
        int[] offsets = new int[64];
        int n = 0;
        int pos = 0;
        while (pos < stored.length) {
            offsets[n++] = pos;
            int len = in.readInt();
            in.skipNBytes(len);
            pos += 4 + len;
        }
        return Arrays.copyOf(offsets, n);
    }

    @Test
    void aDumpComesBackByteForByteAcrossSeveralChunks() throws IOException {
        byte[] plain = dump(200_000);
        byte[] stored = archive(plain, "bk1");
        assertThat(chunkOffsets(stored).length).isGreaterThan(1);
        assertThat(restore(stored, "bk1")).isEqualTo(plain);
        assertThat(restore(archive(new byte[0], "empty"), "empty")).isEmpty();
    }

    @Test
    void storedBytesShowNoTableValue() throws IOException {
        byte[] stored = archive(dump(50_000), "bk2");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain("customer-secret");
        byte[] zstdMagic = {(byte) 0x28, (byte) 0xB5, (byte) 0x2F, (byte) 0xFD};
        assertThat(Arrays.copyOfRange(stored, 4, 8)).as("the first chunk is not a bare zstd frame").isNotEqualTo(zstdMagic);
    }

    @Test
    void damagedTruncatedReorderedOrForeignArchivesAreRefused() throws IOException {
        byte[] stored = archive(dump(200_000), "bk3");
        int[] chunks = chunkOffsets(stored);

        byte[] flipped = stored.clone();
        flipped[chunks[1] + 100] ^= 1;
        assertThatThrownBy(() -> restore(flipped, "bk3")).isInstanceOf(IntegrityException.class).hasMessageContaining("chunk 1");

        byte[] cutAtBoundary = Arrays.copyOf(stored, chunks[chunks.length - 1]);
        assertThatThrownBy(() -> restore(cutAtBoundary, "bk3")).isInstanceOf(IntegrityException.class).hasMessageContaining("truncated");
        byte[] cutInside = Arrays.copyOf(stored, stored.length - 10);
        assertThatThrownBy(() -> restore(cutInside, "bk3")).isInstanceOf(IntegrityException.class).hasMessageContaining("truncated");

        ByteArrayOutputStream missing = new ByteArrayOutputStream();
        missing.write(stored, 0, chunks[1]);
        missing.write(stored, chunks[2], stored.length - chunks[2]);
        assertThatThrownBy(() -> restore(missing.toByteArray(), "bk3")).isInstanceOf(IntegrityException.class)
                .hasMessageContaining("chunk 1");

        assertThatThrownBy(() -> restore(stored, "bk-other")).isInstanceOf(IntegrityException.class).hasMessageContaining("chunk 0");
        byte[] extra = Arrays.copyOf(stored, stored.length + 1);
        assertThatThrownBy(() -> restore(extra, "bk3")).isInstanceOf(IntegrityException.class).hasMessageContaining("after its final");
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
