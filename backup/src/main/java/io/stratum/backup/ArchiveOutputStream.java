package io.stratum.backup;

import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.subtle.AesGcmHkdfStreaming;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Writes a sealed backup object in format 2: the magic {@code SBK2}, then Google Tink's streaming AEAD
 * (AES-256-GCM-HKDF, 1 MiB segments). Every object draws a fresh random salt, from which HKDF derives the key that object
 * is encrypted with, and a random nonce prefix; segment nonces are that prefix, the segment's number and a last-segment
 * flag. So no two objects, not a backup's archive and its manifest, not a backup resumed or retried after a crash, ever
 * encrypt under the same key and nonce. The associated data names the object ({@code ID}, {@code ID#manifest}); a
 * segment moved, dropped, cut off or taken from another object fails authentication. The SHA-256 of everything
 * written to the sink is available after {@link #close()}, with the sizes.
 */
public final class ArchiveOutputStream extends OutputStream {
    /** The format's magic and version: the first bytes of every object written now. */
    static final byte[] MAGIC = {'S', 'B', 'K', '2'};
    /** Ciphertext bytes per segment (the last may be shorter). */
    static final int SEGMENT_BYTES = 1 << 20;
    private final Counting counted;
    private final MessageDigest sha256;
    private final OutputStream sealed;
    private long plainBytes;
    private boolean closed;

    public ArchiveOutputStream(OutputStream sink, byte[] dataKey, String context) throws IOException {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        this.counted = new Counting(new DigestOutputStream(sink, sha256));
        counted.write(MAGIC);
        try {
            this.sealed = aead(dataKey).newEncryptingStream(counted, context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot start sealing " + context, e);
        }
    }

    /** Tink's streaming AEAD keyed by a backup's 256-bit data key (its input key material). */
    static StreamingAead aead(byte[] dataKey) {
        if (dataKey.length != 32) throw new IllegalArgumentException("a backup data key has 32 bytes");
        try {
            return new AesGcmHkdfStreaming(dataKey, "HmacSha256", 32, SEGMENT_BYTES, 0);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM-HKDF streaming is not available", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        sealed.write(b, off, len);
        plainBytes += len;
    }

    /** Seals the last segment and closes the sink. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        sealed.close();
    }

    public String sha256Hex() {
        if (!closed) throw new IllegalStateException("the archive is not finished");
        return HexFormat.of().formatHex(sha256.digest());
    }

    /** Segments written (1 MiB of ciphertext each, the last possibly shorter). */
    public long chunks() {
        return Math.max(1, (counted.bytes - MAGIC.length + SEGMENT_BYTES - 1) / SEGMENT_BYTES);
    }

    /** Bytes given to the archive (after compression, before encryption). */
    public long plainBytes() {
        return plainBytes;
    }

    /** Bytes written to the store. */
    public long storedBytes() {
        return counted.bytes;
    }

    private static final class Counting extends java.io.FilterOutputStream {
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
}
