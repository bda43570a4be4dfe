package io.stratum.backup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Writes to {@code sink} on a thread of its own, up to {@code buffers} blocks behind the writer, so that what the sink
 * does per byte (sealing segments, hashing, writing the store) runs beside what the writer does (reading the dump,
 * compressing) instead of after it: {@link ReadAhead}'s counterpart for backups. A failure of the sink reaches the
 * writer at its next write or at {@link #close()}, with its own type; {@link #close()} returns once every block was
 * written and the sink closed. {@link #abandon()} stops the thread without finishing the sink.
 */
final class WriteBehind extends OutputStream {
    private static final int BLOCK = 1 << 20;
    private static final byte[] END = new byte[0];
    private final BlockingQueue<byte[]> blocks;
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean abandoned;
    private byte[] current = new byte[BLOCK];
    private int pos;
    private boolean closed;

    WriteBehind(OutputStream sink, int buffers, String name) {
        this.blocks = new ArrayBlockingQueue<>(buffers);
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> drain(sink));
        thread.start();
    }

    private void drain(OutputStream sink) {
        try {
            while (true) {
                byte[] block = blocks.take();
                if (block == END) break;
                sink.write(block);
            }
            sink.close();
        } catch (Throwable t) {
            failure = t;
            blocks.clear(); // a writer waiting for room sees the failure
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) throw new IOException("the archive is already closed");
        while (len > 0) {
            int n = Math.min(len, BLOCK - pos);
            System.arraycopy(b, off, current, pos, n);
            pos += n;
            off += n;
            len -= n;
            if (pos == BLOCK) {
                hand(current);
                current = new byte[BLOCK];
                pos = 0;
            }
        }
    }

    /** Blocks are handed on whole; flushing changes nothing until the end (the sink's segments are 1 MiB anyway). */
    @Override
    public void flush() throws IOException {
        rethrow();
    }

    /** Hands the last block on, waits until the sink has written everything and closed, and reports its failure. */
    @Override
    public void close() throws IOException {
        if (closed) return;
        closed = true;
        if (pos > 0) hand(java.util.Arrays.copyOf(current, pos));
        hand(END);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new InterruptedIOException("interrupted while the archive was being written");
        }
        rethrow();
    }

    /**
     * Stops the thread without closing the sink (the writer failed; the sink's owner discards what it holds) and returns
     * only once it has stopped, also when the caller is interrupted: the owner discards the sink next (an S3 upload is
     * aborted), which must not race a write still under way (a part uploaded after its upload was aborted would be
     * stored for good).
     */
    void abandon() {
        closed = true;
        abandoned = true;
        thread.interrupt();
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private void hand(byte[] block) throws IOException {
        try {
            while (!blocks.offer(block, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
                if (abandoned || !thread.isAlive()) {
                    rethrow(); // the thread's failure, if it ended with one (visible once it is no longer alive)
                    throw new IOException("the archive writer stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while the archive was being written");
        }
        rethrow();
    }

    private void rethrow() throws IOException {
        Throwable t = failure;
        if (t == null) return;
        if (t instanceof IOException io) throw io;
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new IOException(t);
    }
}
