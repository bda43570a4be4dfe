package io.stratum.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratum.core.error.ValidationException;
import io.stratum.core.validation.ResourceNames;
import io.stratum.core.validation.StageAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResourceNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "shop", "shop-prod", "a1", "x-1-2", "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk"})
    void acceptsValidNames(String name) {
        assertThat(ResourceNames.problem(name)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Shop", "1shop", "-shop", "shop-", "shop--prod", "shop_prod", "shop prod", "shöp", "../etc",
            "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl"})
    void rejectsInvalidNames(String name) {
        assertThatThrownBy(() -> ResourceNames.require("name", name))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).hasSize(1);
                    assertThat(e.errors().get(0).field()).isEqualTo("name");
                });
    }

    @Test
    void explainsTheSpecificProblem() {
        assertThat(ResourceNames.problem("shop--prod")).contains("double hyphen");
        assertThat(ResourceNames.problem("shop-")).contains("end with a hyphen");
        assertThat(ResourceNames.problem(null)).contains("required");
    }

    @Test
    void parsesStageAddresses() {
        assertThat(StageAddress.parse("stage", "shop/prod")).isEqualTo(new StageAddress("shop", "prod"));
        assertThatThrownBy(() -> StageAddress.parse("stage", "shop")).hasMessageContaining("STACK/STAGE");
        assertThatThrownBy(() -> StageAddress.parse("stage", "shop/prod/x")).hasMessageContaining("STACK/STAGE");
        assertThatThrownBy(() -> StageAddress.parse("stage", "shop/Prod")).hasMessageContaining("stage (stage)");
    }
}
