package io.stratum.engines.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MariadbDumpsTest {
    @Test
    void batchEscapesAreUndoneSoOddTableNamesAreFound() {
        assertThat(MariadbDumps.unescape("x\\n\\\\! touch /tmp/p\\ny")).isEqualTo("x\n\\! touch /tmp/p\ny");
        assertThat(MariadbDumps.unescape("a\\tb\\0c\\\\")).isEqualTo("a\tb\0c\\");
        assertThat(MariadbDumps.unescape("plain")).isEqualTo("plain");
    }
}
