package io.stratum.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads {@code source} on a thread of its own, up to {@code buffers} blocks ahead of the reader, so that what the source
 * does per byte (reading the store, hashing, authenticating and decrypting segments) runs beside what the reader does
 * (decompressing, unpacking, writing) instead of before it. The source's end is passed on only after {@code atEnd}
 * has run and returned (the archive's SHA-256 compared), and any failure of the source or of {@code atEnd} reaches the
 * reader, in place of the end, with its own type. Closing stops the thread.
 */
final class ReadAhead extends InputStream {
    private static final int BLOCK = 1 << 20;
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> blocks;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Throwable failure;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    /** What runs after the source's last byte was read and before the reader sees the end. */
    @FunctionalInterface
    interface AtEnd {
        void check() throws IOException;
    }

    ReadAhead(InputStream source, AtEnd atEnd, int buffers, String name) {
        this.blocks = new ArrayBlockingQueue<>(buffers);
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> pump(source, atEnd));
        thread.start();
    }

    private void pump(InputStream source, AtEnd atEnd) {
        try {
            while (true) {
                byte[] block = new byte[BLOCK];
                int n = source.readNBytes(block, 0, BLOCK);
                if (n == 0) break;
                if (!put(n == BLOCK ? block : java.util.Arrays.copyOf(block, n))) return;
            }
            atEnd.check();
            put(END);
        } catch (Throwable t) {
            failure = t;
            put(END);
        }
    }

    /** False when the reader closed the stream (the block is dropped). */
    private boolean put(byte[] block) {
        try {
            while (!closed) {
                if (blocks.offer(block, 100, TimeUnit.MILLISECONDS)) return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        while (pos == current.length) {
            if (ended) return endOrFailure();
            try {
                current = blocks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading ahead");
            }
            pos = 0;
            if (current == END) ended = true;
        }
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    private int endOrFailure() throws IOException {
        Throwable t = failure;
        if (t == null) return -1;
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IOException(t);
    }

    /**
     * Stops the thread and waits (5 s at most, also when the caller's thread is interrupted) until it no longer reads
     * the source, which the caller closes next.
     */
    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        blocks.clear();
        boolean interrupted = false;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (thread.isAlive() && System.nanoTime() < deadline) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }
}
