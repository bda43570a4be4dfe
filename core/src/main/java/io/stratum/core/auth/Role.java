package io.stratum.core.auth;

import io.stratum.core.error.ValidationException;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a token may do: admin everything, operator only inside its stacks, reader only read. */
public enum Role {
    ADMIN, OPERATOR, READER;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String field, String text) {
        for (Role r : values()) {
            if (r.wireName().equals(text)) return r;
        }
        String allowed = Arrays.stream(values()).map(Role::wireName).collect(Collectors.joining(", "));
        throw ValidationException.of(field, "'" + text + "' is not a role: use one of " + allowed);
    }
}
