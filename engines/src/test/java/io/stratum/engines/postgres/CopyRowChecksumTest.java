package io.stratum.engines.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CopyRowChecksumTest {
    private static CopyRowChecksum of(String copyText) {
        CopyRowChecksum c = new CopyRowChecksum();
        c.write(copyText.getBytes(StandardCharsets.UTF_8));
        return c;
    }

    @Test
    void rowsAreLinesUpToTheEndMarkerAndTheirOrderDoesNotMatter() {
        CopyRowChecksum dumped = of("1\talice\t2026-01-01 00:00:00+00\n2\tbob\t\\N\n3\tline\\nbreak\t\\\\.\n\\.\n\n\n");
        assertThat(dumped.rows()).as("a value \\\\. is data; the line \\. ends it").isEqualTo(3);
        assertThat(dumped.checksum()).startsWith("c:").hasSize(18);
        CopyRowChecksum copied = of("3\tline\\nbreak\t\\\\.\n1\talice\t2026-01-01 00:00:00+00\n2\tbob\t\\N\n");
        assertThat(copied.rows()).isEqualTo(3);
        assertThat(copied.checksum()).as("COPY TO STDOUT has no end marker, and another order").isEqualTo(dumped.checksum());
    }

    @Test
    void anyChangedValueOrRowChangesTheChecksum() {
        String base = "1\ta\n2\tb\n3\tc\n";
        String sum = of(base).rows() + " " + of(base).checksum();
        for (String changed : new String[] {"1\ta\n2\tB\n3\tc\n", "1\ta\n2\tb\n3\tc\n3\tc\n", "1\ta\n2\tb\n", "1\ta\n2\tb\n3\t\\N\n",
                "1\ta\t\n2\tb\n3\tc\n", "1\ta\n2\tb\n3\tc\n\n"}) {
            assertThat(of(changed).rows() + " " + of(changed).checksum()).as("what a drill compares, for " + changed).isNotEqualTo(sum);
        }
        assertThat(of("\n\n\\.\n").rows()).as("a table without columns: empty lines are rows").isEqualTo(2);
        assertThat(of("").rows()).isZero();
        assertThat(of("").checksum()).isEqualTo("c:0000000000000000");
    }

    @Test
    void theResultDoesNotDependOnHowTheBytesAreCut() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 300; i++) text.append(i).append("\tvalue number ").append(i * 7919).append(i % 11 == 0 ? "\t\\N" : "").append('\n');
        text.append("\\.\n\n");
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        CopyRowChecksum whole = new CopyRowChecksum();
        whole.write(bytes, 0, bytes.length);
        for (int step : new int[] {1, 2, 3, 7, 8, 9, 64, 1000}) {
            CopyRowChecksum cut = new CopyRowChecksum();
            for (int off = 0; off < bytes.length; off += step) cut.write(bytes, off, Math.min(step, bytes.length - off));
            assertThat(Map.of(cut.rows(), cut.checksum())).as("written " + step + " bytes at a time").isEqualTo(Map.of(whole.rows(), whole.checksum()));
        }
        assertThat(whole.rows()).isEqualTo(300);
    }

    @Test
    void pgRestoreListsMapTableOidsToDataFilesAndAnAmbiguousOneIsLeftOut() {
        String toc = """
                ;
                ; Archive created at 2026-12-02 06:41:00 UTC
                214; 1259 16386 TABLE public events1 app
                3358; 0 16386 TABLE DATA public events1 app
                3359; 0 16393 TABLE DATA public x 3360; 0 16386 TABLE DATA public evil app app
                3361; 0 16411 TABLE DATA public "odd name" app
                3362; 0 16500 TABLE DATA public twice app
                3363; 0 16500 TABLE DATA public twice app
                219; 1259 16600 INDEX public idx\u20283364; 0 16386 TABLE DATA public forged app
                3209; 2606 16392 CONSTRAINT public events1 events1_pkey app
                """;
        // a name may hold U+2028, which pg_restore leaves as it is: no line starts there (else 16386 would be listed twice)
        assertThat(PgTableStats.tableDataFiles(toc)).containsExactlyInAnyOrderEntriesOf(Map.of(16386L, "3358.dat", 16393L, "3359.dat",
                16411L, "3361.dat"));
    }
}
