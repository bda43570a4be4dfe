package io.stratum.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratum.core.auth.Role;
import io.stratum.core.model.ApiToken;
import io.stratum.core.model.Operation;
import io.stratum.core.model.OperationState;
import io.stratum.core.model.Stack;
import io.stratum.core.model.Stage;
import io.stratum.core.port.IdempotencyRepository.StoredResponse;
import io.stratum.core.port.MetadataStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import io.stratum.core.port.StoreTx;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What every metadata store must do; run against SQLite and against a real PostgreSQL server. */
abstract class MetadataStoreContract {
    private final Instant t0 = Instant.parse("2026-11-01T10:00:00.123Z");

    abstract MetadataStore store();

    /** Opens a second store on the same database (migrations must be idempotent). */
    abstract MetadataStore reopen();

    static String unique(String prefix) {
        return prefix + UUID.randomUUID().toString().substring(0, 8);
    }

    boolean yes(Function<StoreTx, Boolean> f) {
        return store().inTransaction(f);
    }

    <T> Optional<T> opt(Function<StoreTx, Optional<T>> f) {
        return store().inTransaction(f);
    }

    <T> List<T> many(Function<StoreTx, List<T>> f) {
        return store().inTransaction(f);
    }

    int num(Function<StoreTx, Integer> f) {
        return store().inTransaction(f);
    }

    @Test
    void stacksAndStagesRoundTrip() {
        String stack = unique("s");
        assertThat(yes(tx -> tx.stacks().insert(new Stack(stack, t0)))).isTrue();
        assertThat(yes(tx -> tx.stacks().insert(new Stack(stack, t0)))).isFalse();
        assertThat(yes(tx -> tx.stages().insert(new Stage(stack, "prod", t0)))).isTrue();
        assertThat(yes(tx -> tx.stages().insert(new Stage(stack, "prod", t0)))).isFalse();
        assertThat(opt(tx -> tx.stages().find(stack, "prod"))).contains(new Stage(stack, "prod", t0));
        assertThat(many(tx -> tx.stages().listByStack(stack))).hasSize(1);
        assertThat(opt(tx -> tx.stacks().find(stack))).contains(new Stack(stack, t0));
        assertThat(yes(tx -> tx.stages().delete(stack, "prod"))).isTrue();
        assertThat(yes(tx -> tx.stacks().delete(stack))).isTrue();
        assertThat(opt(tx -> tx.stacks().find(stack))).isEmpty();
    }

    @Test
    void readsSeeCommittedChanges() {
        String stack = unique("r");
        store().inTransaction(tx -> tx.stacks().insert(new Stack(stack, t0)));
        Optional<Stack> read = store().read(tx -> tx.stacks().find(stack));
        assertThat(read).contains(new Stack(stack, t0));
    }

    @Test
    void foreignKeysAreEnforced() {
        assertThatThrownBy(() -> store().inTransaction(tx -> tx.stages().insert(new Stage(unique("missing"), "prod", t0))))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void aFailedUnitOfWorkChangesNothing() {
        String stack = unique("s");
        assertThatThrownBy(() -> store().inTransaction(tx -> {
            tx.stacks().insert(new Stack(stack, t0));
            throw new IllegalStateException("boom");
        })).hasMessage("boom");
        assertThat(opt(tx -> tx.stacks().find(stack))).isEmpty();
    }

    @Test
    void eventsAreAppendedInOrder() {
        long before = store().inTransaction(tx -> tx.events().listLatest(1)).stream().mapToLong(e -> e.id()).max().orElse(0);
        var a = store().inTransaction(tx -> tx.events().append(t0, "admin (tok-1)", "stack/a", "a", "stack.create", null));
        var b = store().inTransaction(tx -> tx.events().append(t0, "admin (tok-1)", "stack/b", "b", "stack.create", "x"));
        assertThat(b.id()).isGreaterThan(a.id()).isGreaterThan(before);
        var after = store().inTransaction(tx -> tx.events().listAfter(before, 10));
        assertThat(after).extracting(e -> e.resource()).containsSubsequence("stack/a", "stack/b");
        assertThat(many(tx -> tx.events().listLatest(2))).containsExactly(a, b);
    }

    @Test
    void operationsAreDurableRecords() {
        String id = unique("op-");
        Operation op = new Operation(id, new io.stratum.core.model.OperationInput.Restore("bk-pre", "bk-1"), "orders", "shop",
                OperationState.PENDING, null, Operation.NOT_STARTED, 0, null, t0, t0, null);
        store().inTransaction(tx -> { tx.operations().insert(op); return null; });
        assertThat(opt(tx -> tx.operations().find(id))).contains(op);
        Operation running = op.moveTo(OperationState.RUNNING, "restore-backup", 2, 0.4, null, t0.plusSeconds(3));
        store().inTransaction(tx -> { tx.operations().update(running); return null; });
        try (MetadataStore other = reopen()) {
            Optional<Operation> found = other.inTransaction(tx -> tx.operations().find(id));
            assertThat(found).contains(running);
        }
    }

    @Test
    void tokensAreFoundByHashAndRevoked() {
        String id = unique("tok-");
        String hash = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
        ApiToken t = new ApiToken(id, "ci", Role.OPERATOR, Set.of("shop", "blog"), t0, null);
        store().inTransaction(tx -> { tx.tokens().insert(t, hash); return null; });
        assertThat(opt(tx -> tx.tokens().findActiveByHash(hash))).contains(t);
        assertThat(yes(tx -> tx.tokens().revoke(id, t0.plusSeconds(1)))).isTrue();
        assertThat(opt(tx -> tx.tokens().findActiveByHash(hash))).isEmpty();
        assertThat(opt(tx -> tx.tokens().find(id))).get()
                .satisfies(tok -> assertThat(tok.revokedAt()).isEqualTo(t0.plusSeconds(1)));
    }

    @Test
    void idempotencyKeysAreStoredOncePerToken() {
        String key = unique("k");
        var first = new StoredResponse("h1", 201, "/v1/stacks/a", "{\"name\":\"a\"}");
        store().inTransaction(tx -> { tx.idempotency().save("tok-x", key, first, t0); return null; });
        store().inTransaction(tx -> { tx.idempotency().save("tok-x", key, new StoredResponse("h2", 500, null, null), t0); return null; });
        assertThat(opt(tx -> tx.idempotency().find("tok-x", key))).contains(first);
        assertThat(opt(tx -> tx.idempotency().find("tok-y", key))).isEmpty();
        assertThat(num(tx -> tx.idempotency().deleteOlderThan(t0.plusSeconds(1)))).isGreaterThanOrEqualTo(1);
        assertThat(opt(tx -> tx.idempotency().find("tok-x", key))).isEmpty();
    }

    @Test
    void reportsHealth() {
        assertThat(store().healthy()).isTrue();
        assertThat(store().description()).doesNotContain("password=");
        assertThat(List.of(store().description())).allMatch(d -> d.startsWith("sqlite:") || d.startsWith("postgresql:"));
    }
}
