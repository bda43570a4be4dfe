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

    /**
     * True when the caller may know that something of {@code stack} (null: outside any stack, admins' and readers') exists
     * at all. What it may not see is answered as not found, never as forbidden, so that another stack's names do not leak.
     */
    public boolean sees(String stack) {
        return stack == null ? readsEverything() : canRead(stack);
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
