package io.stratum.core.instance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values that Java would parse but an engine's config would not (or that overflow) are refused before they reach a config file. */
class ParamSpecTest {
    static final ParamSpec CONNECTIONS = ParamSpec.integer("max_connections", 10, 5000, false, "");
    static final ParamSpec WORK_MEM = ParamSpec.memoryMb("work_mem", 1, 2048, true, "");
    static final ParamSpec RATIO = ParamSpec.real("ratio", 0, 1, true, "");

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "1e3", "0x10", "+50", "５０", "50.0", " ", "٣٠٠"})
    void integersAreAsciiDigitsThatFit(String v) {
        assertThat(CONNECTIONS.problem(v)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999MB", "1e3MB", "0x10MB", "１２８MB", "-1MB", "128TB"})
    void sizesAreAsciiDigitsThatFitWithAUnit(String v) {
        assertThat(WORK_MEM.problem(v)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"NaN", "Infinity", "1e-1", "0x1p-1", "0.5f", ".5"})
    void decimalsArePlainDecimals(String v) {
        assertThat(RATIO.problem(v)).isNotNull();
    }

    @Test
    void goodValuesPass() {
        assertThat(CONNECTIONS.problem("300")).isNull();
        assertThat(WORK_MEM.problem("16MB")).isNull();
        assertThat(WORK_MEM.problem("1GB")).isNull();
        assertThat(RATIO.problem("0.5")).isNull();
    }
}
