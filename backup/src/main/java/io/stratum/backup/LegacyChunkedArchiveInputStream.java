package io.stratum.backup;

import io.stratum.core.secret.IntegrityException;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads objects of format 1 (backups written before format 2): AES-256-GCM chunks of 1 MiB, each written as
 * {@code [length][ciphertext+tag]}, the nonce being the chunk's index under the backup's data key, the associated data
 * naming the object, the index and whether the chunk is the last. Every chunk is authenticated before its bytes are
 * released; a stream that ends without its final chunk, or goes on after it, is refused ({@link IntegrityException}).
 * Nothing is written in this format any more (it reused nonces between a backup's archive and manifest, and across a
 * resumed backup); it stays readable so that old backups restore and verify.
 */
final class LegacyChunkedArchiveInputStream extends InputStream {
    /** Plaintext bytes per chunk in format 1. */
    static final int CHUNK_BYTES = 1 << 20;
    private final DataInputStream in;
    private final ChunkCipher cipher;
    private final String backupId;
    private byte[] chunk = new byte[0];
    private int pos;
    private long index;
    private boolean finished;

    LegacyChunkedArchiveInputStream(InputStream source, byte[] dataKey, String backupId) {
        this.in = new DataInputStream(source);
        this.cipher = new ChunkCipher(dataKey, backupId);
        this.backupId = backupId;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (pos == chunk.length) {
            if (finished) return -1;
            nextChunk();
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
    }

    private void nextChunk() throws IOException {
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new IntegrityException("backup " + backupId + " is truncated: it ends after chunk " + (index - 1)
                    + " without its final chunk");
        }
        if (length < ChunkCipher.TAG_BYTES || length > CHUNK_BYTES + ChunkCipher.TAG_BYTES) {
            throw new IntegrityException("backup " + backupId + ": chunk " + index + " has an impossible length " + length);
        }
        byte[] sealed = new byte[length];
        try {
            in.readFully(sealed);
        } catch (EOFException e) {
            throw new IntegrityException("backup " + backupId + " is truncated inside chunk " + index);
        }
        byte[] plain;
        try {
            plain = cipher.open(index, false, sealed);
        } catch (IntegrityException notMore) {
            plain = cipher.open(index, true, sealed);
            finished = true;
            if (in.read() != -1) {
                throw new IntegrityException("backup " + backupId + " has data after its final chunk " + index);
            }
        }
        chunk = plain;
        pos = 0;
        index++;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
