package io.stratum.engines.postgres;

import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * Rows and an order-independent checksum of one table's data in PostgreSQL's COPY text format, as it passes by: the
 * data files of a {@code pg_dump -Fd} dump while a backup packs them, and {@code COPY ... TO STDOUT} of the restored
 * table in a drill. COPY text writes each row on one line (a line break inside a value is written {@code \n}), so a
 * row is a line, and a line {@code \.} ends the data (a value {@code \.} is written {@code \\.}). Each row's 64 bits
 * are its CRC-32C and its CRC-32 (both computed by the JDK's intrinsics); the checksum is their sum modulo 2^64 with
 * the prefix {@value #KIND}, so it does not depend on the order in which rows come.
 */
final class CopyRowChecksum extends OutputStream {
    /** The prefix of this kind of checksum in a manifest. */
    static final String KIND = "c:";
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;
    private final CRC32C crc32c = new CRC32C();
    private final CRC32 crc32 = new CRC32();
    private long rows;
    private long sum;
    /** Bytes of the current row so far, and its first two (to tell the end marker {@code \.}). */
    private long rowBytes;
    private int head;
    private boolean ended;

    @Override
    public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b) {
        write(b, 0, b.length);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int end = off + len;
        int start = off;
        while (start < end && !ended) {
            int nl = newline(b, start, end);
            int stop = nl < 0 ? end : nl;
            take(b, start, stop);
            if (nl < 0) return;
            endRow();
            start = nl + 1;
        }
    }

    private void take(byte[] b, int from, int to) {
        if (to == from) return;
        for (int i = from; i < to && rowBytes + (i - from) < 2; i++) head |= (b[i] & 0xFF) << (8 * (int) (rowBytes + i - from));
        crc32c.update(b, from, to - from);
        crc32.update(b, from, to - from);
        rowBytes += to - from;
    }

    private void endRow() {
        if (rowBytes == 2 && head == ('\\' | '.' << 8)) {
            ended = true; // the end marker; what follows it (blank lines) is not data
            return;
        }
        sum += crc32c.getValue() << 32 | crc32.getValue();
        rows++;
        crc32c.reset();
        crc32.reset();
        rowBytes = 0;
        head = 0;
    }

    /** The index of the first line break in {@code b[from, to)}, or -1: eight bytes at a time. */
    private static int newline(byte[] b, int from, int to) {
        int i = from;
        for (; i + 8 <= to; i += 8) {
            long x = (long) LONGS.get(b, i) ^ NEWLINES;
            long found = (x - LOW_BITS) & ~x & HIGH_BITS;
            if (found != 0) return i + (Long.numberOfTrailingZeros(found) >>> 3);
        }
        for (; i < to; i++) if (b[i] == '\n') return i;
        return -1;
    }

    /** Rows seen: lines before the end marker (a last line without its line break counts too). */
    long rows() {
        finish();
        return rows;
    }

    /** The checksum, {@value #KIND} and 16 hex digits. */
    String checksum() {
        finish();
        return KIND + String.format("%016x", sum);
    }

    private void finish() {
        if (!ended && rowBytes > 0) endRow();
    }
}
