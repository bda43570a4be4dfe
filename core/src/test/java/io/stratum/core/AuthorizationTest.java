package io.stratum.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratum.core.auth.Principal;
import io.stratum.core.auth.Role;
import io.stratum.core.auth.TokenSecrets;
import io.stratum.core.error.ForbiddenException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizationTest {
    private final Principal admin = new Principal("tok-1", "admin", Role.ADMIN, Set.of());
    private final Principal operator = new Principal("tok-2", "shop-ci", Role.OPERATOR, Set.of("shop"));
    private final Principal reader = new Principal("tok-3", "dash", Role.READER, Set.of());

    @Test
    void adminMayDoEverything() {
        assertThatCode(() -> admin.requireAdmin("x")).doesNotThrowAnyException();
        assertThatCode(() -> admin.requireWrite("any", "x")).doesNotThrowAnyException();
    }

    @Test
    void operatorIsScopedToItsStacks() {
        assertThatCode(() -> operator.requireWrite("shop", "create stages")).doesNotThrowAnyException();
        assertThatThrownBy(() -> operator.requireWrite("blog", "create stages"))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("stack 'blog'").hasMessageContaining("operator");
        assertThat(operator.canRead("shop")).isTrue();
        assertThat(operator.canRead("blog")).isFalse();
        assertThatThrownBy(() -> operator.requireAdmin("creating a stack")).hasMessageContaining("needs role admin");
    }

    @Test
    void readerCannotWrite() {
        assertThat(reader.canRead("shop")).isTrue();
        assertThatThrownBy(() -> reader.requireWrite("shop", "create stages"))
                .isInstanceOf(ForbiddenException.class).hasMessageContaining("role reader");
    }

    @Test
    void tokensAreRandomAndOnlyTheirHashIsComparable() {
        String a = TokenSecrets.newToken();
        String b = TokenSecrets.newToken();
        assertThat(a).startsWith("stm_").isNotEqualTo(b).hasSizeGreaterThan(40);
        assertThat(TokenSecrets.hash(a)).hasSize(64).isEqualTo(TokenSecrets.hash(a)).isNotEqualTo(TokenSecrets.hash(b));
        assertThat(admin.actor()).doesNotContain(a);
    }
}
