package io.stratum.core.auth;

import io.stratum.core.error.ForbiddenException;
import java.util.Set;

/** The authenticated caller: a token's id, name, role and (for operators) its stacks. */
public record Principal(String tokenId, String name, Role role, Set<String> stacks) {

    public Principal {
        stacks = Set.copyOf(stacks);
    }

    /** The actor recorded in events. Never contains the token secret. */
    public String actor() {
        return name + " (" + tokenId + ")";
    }

    public boolean canRead(String stack) {
        return role != Role.OPERATOR || stacks.contains(stack);
    }

    public boolean readsEverything() {
        return role != Role.OPERATOR;
    }

    public void requireAdmin(String action) {
        if (role != Role.ADMIN) {
            throw new ForbiddenException("permission-denied",
                    "token '" + name + "' has role " + role.wireName() + "; " + action + " needs role admin");
        }
    }

    public void requireWrite(String stack, String action) {
        if (role == Role.ADMIN) return;
        if (role == Role.READER) {
            throw new ForbiddenException("permission-denied",
                    "token '" + name + "' has role reader and cannot " + action + "; use an admin or operator token");
        }
        if (!stacks.contains(stack)) {
            throw new ForbiddenException("permission-denied",
                    "token '" + name + "' is an operator for stacks " + stacks + " and cannot " + action
                            + " in stack '" + stack + "'");
        }
    }

    public void requireRead(String stack) {
        if (!canRead(stack)) {
            throw new ForbiddenException("permission-denied",
                    "token '" + name + "' is an operator for stacks " + stacks + " and cannot read stack '" + stack + "'");
        }
    }
}
