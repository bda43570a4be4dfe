package io.stratum.engines.redis;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.OptionalLong;

/**
 * Reads database 0's key count from the head of an RDB stream as it passes (the {@code RESIZEDB} record Redis writes
 * after {@code SELECTDB}, before the keys), so a backup's manifest states how many keys its snapshot holds.
 */
final class RdbKeyCount extends FilterOutputStream {
    static final int HEAD_BYTES = 1 << 20;
    private byte[] head = new byte[64 << 10];
    private int filled;

    RdbKeyCount(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (filled < HEAD_BYTES) {
            int n = Math.min(len, HEAD_BYTES - filled);
            if (filled + n > head.length) head = Arrays.copyOf(head, Math.max(filled + n, Math.min(HEAD_BYTES, head.length * 2)));
            System.arraycopy(b, off, head, filled, n);
            filled += n;
        }
        out.write(b, off, len);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** Keys in database 0; empty when the head holds no key count (e.g. module data first). */
    OptionalLong keysInDb0() {
        return parse(Arrays.copyOf(head, filled));
    }

    static OptionalLong parse(byte[] rdb) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(rdb))) {
            byte[] magic = new byte[9];
            in.readFully(magic);
            if (!new String(magic, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("REDIS")) return OptionalLong.empty();
            long db = -1;
            while (true) {
                int op = in.readUnsignedByte();
                switch (op) {
                    case 0xFA -> { // AUX field
                        skipString(in);
                        skipString(in);
                    }
                    case 0xF5, 0xF6 -> skipString(in); // functions
                    case 0xFE -> db = length(in);
                    case 0xFB -> {
                        long keys = length(in);
                        length(in);
                        if (db == 0) return OptionalLong.of(keys);
                    }
                    case 0xFF -> {
                        return OptionalLong.of(0); // no database 0 at all: no keys
                    }
                    default -> {
                        return OptionalLong.empty();
                    }
                }
            }
        } catch (EOFException e) {
            return OptionalLong.empty();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long length(DataInputStream in) throws IOException {
        int b = in.readUnsignedByte();
        return switch (b >> 6) {
            case 0 -> b & 0x3F;
            case 1 -> ((b & 0x3F) << 8) | in.readUnsignedByte();
            case 2 -> b == 0x80 ? Integer.toUnsignedLong(in.readInt()) : in.readLong();
            default -> throw new IOException("an encoded value where a length belongs");
        };
    }

    private static void skipString(DataInputStream in) throws IOException {
        in.mark(1);
        int b = in.readUnsignedByte();
        if (b >> 6 == 3) {
            switch (b & 0x3F) {
                case 0 -> in.skipNBytes(1);
                case 1 -> in.skipNBytes(2);
                case 2 -> in.skipNBytes(4);
                case 3 -> {
                    long compressed = length(in);
                    length(in);
                    in.skipNBytes(compressed);
                }
                default -> throw new IOException("unknown string encoding " + (b & 0x3F));
            }
            return;
        }
        in.reset();
        in.skipNBytes(length(in));
    }
}
