package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.auth.Role;
import io.stratum.core.auth.TokenSecrets;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.UnauthorizedException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.model.ApiToken;
import io.stratum.core.validation.ResourceNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/** Bearer tokens: creation (secret shown once), authentication by hash, revocation. */
public final class TokenService {
    /** A freshly created token: its metadata and the secret, which is never retrievable again. */
    public record CreatedToken(ApiToken token, String secret) {}

    private final Recorder recorder;

    public TokenService(Recorder recorder) {
        this.recorder = recorder;
    }

    public CreatedToken create(Principal p, String name, String role, List<String> stacks) {
        p.requireAdmin("creating tokens");
        List<FieldError> errors = new ArrayList<>();
        String nameProblem = ResourceNames.problem(name);
        if (nameProblem != null) errors.add(new FieldError("name", nameProblem));
        Role parsedRole = null;
        try {
            parsedRole = Role.parse("role", role == null ? "" : role);
        } catch (ValidationException e) {
            errors.addAll(e.errors());
        }
        Set<String> stackSet = new TreeSet<>(stacks == null ? List.of() : stacks);
        for (String s : stackSet) {
            String problem = ResourceNames.problem(s);
            if (problem != null) errors.add(new FieldError("stacks", problem));
        }
        if (parsedRole == Role.OPERATOR && stackSet.isEmpty()) {
            errors.add(new FieldError("stacks", "an operator token needs at least one stack (--stack NAME)"));
        }
        if (parsedRole != null && parsedRole != Role.OPERATOR && !stackSet.isEmpty()) {
            errors.add(new FieldError("stacks", "only operator tokens are scoped to stacks; role "
                    + parsedRole.wireName() + " applies to all stacks"));
        }
        if (!errors.isEmpty()) throw new ValidationException(errors);
        return issue(p, name, parsedRole, stackSet, secret -> { });
    }

    /**
     * Creates the first admin token when the store has no active admin; empty otherwise. {@code persistSecret} runs
     * inside the transaction, so the token is only committed once its secret is safely written (admin.token).
     */
    public Optional<CreatedToken> bootstrapAdmin(Consumer<String> persistSecret) {
        Principal system = new Principal("system", "system", Role.ADMIN, Set.of());
        boolean present = recorder.store().inTransaction(tx -> tx.tokens().anyActiveAdmin());
        return present ? Optional.empty() : Optional.of(issue(system, "admin", Role.ADMIN, Set.of(), persistSecret));
    }

    private CreatedToken issue(Principal p, String name, Role role, Set<String> stacks, Consumer<String> persistSecret) {
        String secret = TokenSecrets.newToken();
        ApiToken token = new ApiToken(TokenSecrets.newId("tok-"), name, role, stacks, recorder.clock().instant(), null);
        recorder.record(p, tx -> {
            for (String s : stacks) {
                if (tx.stacks().find(s).isEmpty()) {
                    throw ValidationException.of("stacks", "stack '" + s + "' does not exist: create it first");
                }
            }
            tx.tokens().insert(token, TokenSecrets.hash(secret));
            persistSecret.accept(secret);
            return new Recorder.Change<>(token, "token/" + token.id(), null, "token.create",
                    "name=" + name + " role=" + role.wireName() + (stacks.isEmpty() ? "" : " stacks=" + stacks));
        });
        return new CreatedToken(token, secret);
    }

    public List<ApiToken> list(Principal p) {
        p.requireAdmin("listing tokens");
        return recorder.store().read(tx -> tx.tokens().list());
    }

    public void revoke(Principal p, String id) {
        p.requireAdmin("revoking tokens");
        recorder.record(p, tx -> {
            ApiToken t = tx.tokens().find(id).filter(ApiToken::active)
                    .orElseThrow(() -> new NotFoundException("no active token with id '" + id + "' (see 'stratum token list')"));
            tx.tokens().revoke(id, recorder.clock().instant());
            if (t.role() == Role.ADMIN && !tx.tokens().anyActiveAdmin()) {
                throw new ConflictException("last-admin", "token '" + id + "' is the last active admin token; create another admin token first");
            }
            return new Recorder.Change<>(null, "token/" + id, null, "token.revoke", "name=" + t.name());
        });
    }

    /** Resolves a bearer token to its principal, or fails with 401. */
    /** True while token {@code id} exists and is not revoked (long-lived streams check it again). */
    public boolean isActive(String id) {
        return recorder.store().read(tx -> tx.tokens().find(id)).map(io.stratum.core.model.ApiToken::active).orElse(false);
    }

    public Principal authenticate(String bearer) {
        if (bearer == null || bearer.isBlank()) {
            throw new UnauthorizedException("missing-token",
                    "no bearer token: send 'Authorization: Bearer TOKEN' (the admin token is in STRATUM_HOME/admin.token)");
        }
        ApiToken t = recorder.store().read(tx -> tx.tokens().findActiveByHash(TokenSecrets.hash(bearer)))
                .orElseThrow(() -> new UnauthorizedException("invalid-token", "the bearer token is unknown or revoked"));
        return new Principal(t.id(), t.name(), t.role(), t.stacks());
    }
}
