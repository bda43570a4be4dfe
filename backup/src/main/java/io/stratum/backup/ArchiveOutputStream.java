package io.stratum.backup;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes a backup archive: the bytes written here are cut into chunks of {@link #CHUNK_BYTES}, each sealed with
 * AES-256-GCM and written as {@code [length][ciphertext+tag]}; the final chunk (possibly empty) is marked as such. The
 * SHA-256 of everything written to the sink is available after {@link #close()}, with the sizes and chunk count.
 */
public final class ArchiveOutputStream extends OutputStream {
    public static final int CHUNK_BYTES = 1 << 20;
    private final DataOutputStream out;
    private final MessageDigest sha256;
    private final ChunkCipher cipher;
    private final byte[] buffer = new byte[CHUNK_BYTES];
    private int filled;
    private long chunks;
    private long plainBytes;
    private long storedBytes;
    private boolean closed;

    public ArchiveOutputStream(OutputStream sink, byte[] dataKey, String backupId) {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.out = new DataOutputStream(new java.security.DigestOutputStream(sink, sha256));
        this.cipher = new ChunkCipher(dataKey, backupId);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (filled == CHUNK_BYTES) flushChunk(false);
            int n = Math.min(len, CHUNK_BYTES - filled);
            System.arraycopy(b, off, buffer, filled, n);
            filled += n;
            off += n;
            len -= n;
            plainBytes += n;
        }
    }

    private void flushChunk(boolean last) throws IOException {
        byte[] sealed = cipher.seal(chunks, last, buffer, filled);
        out.writeInt(sealed.length);
        out.write(sealed);
        storedBytes += 4L + sealed.length;
        chunks++;
        filled = 0;
    }

    /** Seals the last chunk and closes the sink. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        flushChunk(true);
        out.close();
    }

    public String sha256Hex() {
        if (!closed) throw new IllegalStateException("the archive is not finished");
        return HexFormat.of().formatHex(sha256.digest());
    }

    public long chunks() {
        return chunks;
    }

    /** Bytes given to the archive (after compression, before encryption). */
    public long plainBytes() {
        return plainBytes;
    }

    /** Bytes written to the store. */
    public long storedBytes() {
        return storedBytes;
    }
}
