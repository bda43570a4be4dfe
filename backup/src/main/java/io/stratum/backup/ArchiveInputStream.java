package io.stratum.backup;

import io.stratum.core.secret.IntegrityException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.util.Arrays;

/**
 * Reads a sealed backup object of any format: format 2 ({@link ArchiveOutputStream}, Tink's streaming AEAD) by its magic,
 * format 1 ({@link LegacyChunkedArchiveInputStream}) otherwise. Bytes are released only after their segment
 * authenticates; a damaged, cut, extended or foreign object is refused with an {@link IntegrityException}, while a
 * failure to read the store itself stays an {@link IOException}.
 */
public final class ArchiveInputStream extends InputStream {
    private final InputStream plain;
    private final String label;

    /** {@code context} is what the object was sealed for ({@code ID}, {@code ID#manifest}); {@code label} names it in errors. */
    public ArchiveInputStream(InputStream source, byte[] dataKey, String context, String label) throws IOException {
        this.label = label;
        SourceErrors guarded = new SourceErrors(source);
        PushbackInputStream in = new PushbackInputStream(guarded, ArchiveOutputStream.MAGIC.length);
        byte[] head = in.readNBytes(ArchiveOutputStream.MAGIC.length);
        if (Arrays.equals(head, ArchiveOutputStream.MAGIC)) {
            try {
                this.plain = ArchiveOutputStream.aead(dataKey).newDecryptingStream(in,
                        context.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (java.security.GeneralSecurityException e) {
                throw new IntegrityException(label + " does not open: " + e.getMessage());
            }
        } else {
            in.unread(head);
            this.plain = new LegacyChunkedArchiveInputStream(in, dataKey, context);
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return plain.read(b, off, len);
        } catch (SourceErrors.Failed e) {
            throw e.cause;
        } catch (IOException e) {
            throw new IntegrityException(label + " failed authentication: it is damaged, truncated, extended or from another backup ("
                    + e.getMessage() + ")");
        }
    }

    @Override
    public void close() throws IOException {
        plain.close();
    }

    /** Marks errors of the store's own stream, so they are not mistaken for failed authentication. */
    private static final class SourceErrors extends FilterInputStream {
        static final class Failed extends IOException {
            final transient IOException cause;

            Failed(IOException cause) {
                super(cause.getMessage(), cause);
                this.cause = cause;
            }
        }

        SourceErrors(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new Failed(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new Failed(e);
            }
        }
    }
}
