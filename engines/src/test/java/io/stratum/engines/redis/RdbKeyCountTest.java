package io.stratum.engines.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RdbKeyCountTest {
    static void string(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        out.write(b.length);
        out.writeBytes(b);
    }

    /** The head Redis 7 writes: magic, AUX fields (one int-encoded), SELECTDB, RESIZEDB, then the first key. */
    static byte[] rdb(int db, int keys) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("REDIS0011".getBytes(StandardCharsets.US_ASCII));
        out.write(0xFA);
        string(out, "redis-ver");
        string(out, "7.0.15");
        out.write(0xFA);
        string(out, "ctime");
        out.write(0xC2); // 32-bit integer encoding
        out.writeBytes(new byte[] {1, 2, 3, 4});
        out.write(0xFE);
        out.write(db);
        out.write(0xFB);
        out.write(0x40 | (keys >> 8)); // 14-bit length
        out.write(keys & 0xFF);
        out.write(0);
        out.write(0); // a string key follows
        string(out, "k");
        return out.toByteArray();
    }

    @Test
    void readsDatabaseZerosKeyCountFromTheHead() {
        assertThat(RdbKeyCount.parse(rdb(0, 800))).hasValue(800);
        assertThat(RdbKeyCount.parse(rdb(3, 800))).as("another database first: not known from the head").isEmpty();
        assertThat(RdbKeyCount.parse("REDIS0011\u00ff".getBytes(StandardCharsets.ISO_8859_1))).as("an empty dataset").hasValue(0);
        assertThat(RdbKeyCount.parse("not an rdb".getBytes(StandardCharsets.US_ASCII))).isEmpty();
    }
}
