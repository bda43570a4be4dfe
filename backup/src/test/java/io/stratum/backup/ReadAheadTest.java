package io.stratum.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratum.core.secret.IntegrityException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadAheadTest {
    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    @Test
    void everyByteArrivesInOrderAndTheEndComesOnlyAfterTheCheckAtTheEnd() throws Exception {
        byte[] data = bytes(5 * 1024 * 1024 + 123);
        AtomicBoolean checked = new AtomicBoolean();
        try (ReadAhead in = new ReadAhead(new ByteArrayInputStream(data), () -> checked.set(true), 2, "t")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
            assertThat(checked).isTrue();
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void aFailedCheckAtTheEndReachesTheReaderInPlaceOfTheEnd() {
        byte[] data = bytes(3 * 1024 * 1024);
        ReadAhead in = new ReadAhead(new ByteArrayInputStream(data), () -> {
            throw new IntegrityException("the stored archive's SHA-256 differs");
        }, 2, "t");
        byte[] got = new byte[data.length];
        assertThatThrownBy(() -> {
            int n = in.readNBytes(got, 0, got.length);
            assertThat(n).isEqualTo(data.length);
            in.read();
        }).isInstanceOf(IntegrityException.class).hasMessageContaining("SHA-256 differs");
        assertThat(got).isEqualTo(data);
    }

    @Test
    void aFailingSourceFailsTheReaderWithItsOwnException() {
        InputStream broken = new InputStream() {
            int left = 1024 * 1024 + 10;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) throw new IOException("store connection reset");
                return 1;
            }
        };
        ReadAhead in = new ReadAhead(broken, () -> {}, 2, "t");
        assertThatThrownBy(() -> in.transferTo(OutputStream.nullOutputStream())).isInstanceOf(IOException.class)
                .hasMessage("store connection reset");
    }

    @Test
    void closingEarlyStopsTheThread() throws Exception {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 0;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return len;
            }
        };
        ReadAhead in = new ReadAhead(endless, () -> {}, 2, "read-ahead-close-test");
        in.readNBytes(10);
        in.close();
        for (int i = 0; i < 50 && Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("read-ahead-close-test")); i++) {
            Thread.sleep(20);
        }
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("read-ahead-close-test"));
    }
}
