package io.stratum.engines.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PgBulkLoadTest {
    /** Minimal WAL only where skipping it is sound (13+); a version that does not parse never gets it. */
    @Test
    void onlyPostgresql13AndLaterLoadInBulk() {
        assertThat(PgBulkLoad.supported("15")).isTrue();
        assertThat(PgBulkLoad.supported("13.4")).isTrue();
        assertThat(PgBulkLoad.supported("12")).isFalse();
        assertThat(PgBulkLoad.supported("9.6")).isFalse();
        assertThat(PgBulkLoad.supported("")).isFalse();
        assertThat(PgBulkLoad.supported("x")).isFalse();
    }

    @Test
    void theIncludeComesLastAndNamesOnlyTheFileBesideTheConfig() {
        assertThat(PgBulkLoad.includeLine()).startsWith("include_if_exists = 'bulk-load.conf'").endsWith("\n");
    }
}
