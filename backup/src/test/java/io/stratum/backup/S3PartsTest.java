package io.stratum.backup;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class S3PartsTest {
    @Test
    void partsGrowSoTenThousandHoldTerabytesWhileMemoryStaysBounded() {
        long total = 0;
        int largest = 0;
        for (int n = 1; n <= S3Store.MAX_PARTS; n++) {
            total += S3Store.partBytes(n);
            largest = Math.max(largest, S3Store.partBytes(n));
        }
        assertThat(S3Store.partBytes(1)).isEqualTo(8 << 20);
        assertThat(S3Store.partBytes(1000)).isEqualTo(8 << 20);
        assertThat(S3Store.partBytes(1001)).isEqualTo(16 << 20);
        assertThat(largest).isEqualTo(512 << 20);
        assertThat(total).as("no longer the 78 GiB a fixed 8 MiB part allowed").isGreaterThan(2L << 40);
    }
}
