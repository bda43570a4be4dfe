package io.stratum.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WriteBehindTest {
    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(11).nextBytes(b);
        return b;
    }

    /** Records what it gets and how often it is closed. */
    private static final class Sink extends ByteArrayOutputStream {
        final AtomicInteger closes = new AtomicInteger();

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }

    @Test
    void everyByteArrivesInOrderWhateverTheWriteSizesAndTheSinkIsClosedOnceAtTheEnd() throws Exception {
        byte[] data = bytes(5 * 1024 * 1024 + 321);
        Sink sink = new Sink();
        WriteBehind out = new WriteBehind(sink, 2, "t");
        Random sizes = new Random(3);
        int at = 0;
        while (at < data.length) {
            int n = Math.min(data.length - at, 1 + sizes.nextInt(3 * 1024 * 1024));
            if (n == 1) out.write(data[at]);
            else out.write(data, at, n);
            at += n;
        }
        assertThat(sink.closes).hasValue(0);
        out.close();
        out.close();
        assertThat(sink.toByteArray()).isEqualTo(data);
        assertThat(sink.closes).hasValue(1);
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class).hasMessageContaining("closed");
    }

    @Test
    void aFailingSinkFailsTheWriterWithItsOwnException() {
        OutputStream full = new OutputStream() {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if ((written += len) > 2 * 1024 * 1024) throw new IOException("No space left on device");
            }
        };
        WriteBehind out = new WriteBehind(full, 2, "t");
        byte[] block = bytes(1024 * 1024);
        assertThatThrownBy(() -> {
            for (int i = 0; i < 100; i++) out.write(block);
            out.close();
        }).isInstanceOf(IOException.class).hasMessage("No space left on device");
    }

    @Test
    void aFailureThatComesAtTheSinksCloseReachesClose() {
        OutputStream sealedBadly = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) {}

            @Override
            public void close() throws IOException {
                throw new IOException("the last segment could not be sealed");
            }
        };
        WriteBehind out = new WriteBehind(sealedBadly, 2, "t");
        assertThatThrownBy(() -> {
            out.write(bytes(10));
            out.close();
        }).isInstanceOf(IOException.class).hasMessage("the last segment could not be sealed");
    }

    @Test
    void aSlowSinkHoldsTheWriterBackAfterAFewBlocks() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicLong written = new AtomicLong();
        OutputStream slow = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new java.io.InterruptedIOException();
                }
            }
        };
        WriteBehind out = new WriteBehind(slow, 2, "t");
        byte[] block = bytes(1024 * 1024);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 20; i++) {
                    out.write(block);
                    written.addAndGet(block.length);
                }
                out.close();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        writer.join(1_000);
        // one block in the sink, two queued, one being filled: the writer waits, memory stays bounded
        assertThat(writer.isAlive()).isTrue();
        assertThat(written.get()).isLessThanOrEqualTo(4L * block.length);
        release.countDown();
        writer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(writer.isAlive()).isFalse();
        assertThat(written.get()).isEqualTo(20L * block.length);
    }

    /** The store aborts an upload right after abandon(): no write may still be under way then, interrupted or not. */
    @Test
    void abandoningReturnsOnlyOnceTheSinksWriteUnderWayHasEndedEvenWhenTheCallerIsInterrupted() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean writeEnded = new java.util.concurrent.atomic.AtomicBoolean();
        OutputStream uninterruptible = new OutputStream() {
            @Override
            public void write(int b) {}

            @Override
            public void write(byte[] b, int off, int len) {
                writing.countDown();
                long until = System.nanoTime() + 300_000_000L; // like a socket write that ignores interrupts
                while (System.nanoTime() < until) Thread.onSpinWait();
                writeEnded.set(true);
            }
        };
        WriteBehind out = new WriteBehind(uninterruptible, 2, "t");
        out.write(bytes(1024 * 1024));
        assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
        Thread.currentThread().interrupt();
        out.abandon();
        assertThat(Thread.interrupted()).as("the caller's interrupt is kept").isTrue();
        assertThat(writeEnded).as("abandon() waited for the write under way").isTrue();
    }

    @Test
    void abandoningStopsTheThreadWithoutClosingTheSink() throws Exception {
        Sink sink = new Sink();
        WriteBehind out = new WriteBehind(sink, 2, "write-behind-abandon-test");
        out.write(bytes(3 * 1024 * 1024));
        out.abandon();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("write-behind-abandon-test"));
        assertThat(sink.closes).as("a partial archive is not sealed as if it were whole").hasValue(0);
        assertThatThrownBy(() -> out.write(1)).isInstanceOf(IOException.class);
    }
}
