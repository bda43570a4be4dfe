package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.FieldError;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.port.Envelope;
import io.stratum.core.port.StoreTx;
import io.stratum.core.secret.Secret;
import io.stratum.core.secret.SecretNames;
import io.stratum.core.secret.SecretVersion;
import io.stratum.core.validation.ResourceNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Versioned secrets under envelope encryption (like AWS Secrets Manager). Access follows the {@code stack} tag:
 * operators read and write their stacks' secrets, admins all; readers see metadata only, never values.
 */
public final class SecretService {
    public static final int MAX_VALUE_BYTES = 65_536;
    public static final String STACK_TAG = "stack";
    private static final Pattern TAG_KEY = Pattern.compile("^[A-Za-z0-9_.:/-]{1,64}$");
    private final Recorder recorder;
    private final Envelope envelope;

    public SecretService(Recorder recorder, Envelope envelope) {
        this.recorder = recorder;
        this.envelope = envelope;
    }

    /** A version's metadata, as history shows it. */
    public record VersionInfo(int version, java.time.Instant createdAt, boolean current) {}

    public Secret create(Principal p, String name, String value, Map<String, String> tags) {
        SecretNames.require("name", name);
        validateTags(tags);
        validateValue(value);
        authorizeWrite(p, tags.get(STACK_TAG), "create secrets");
        requireUnderOwnStack(name, tags.get(STACK_TAG));
        var now = recorder.clock().instant();
        return recorder.record(p, tx -> {
            Secret s = new Secret(name, tags, false, 1, now, now);
            if (!tx.secrets().insert(s)) throw new ConflictException("already-exists", "secret '" + name + "' already exists: "
                    + "add a version with 'stratum secret put " + name + "'");
            addVersion(tx, name, 1, value, now);
            return new Recorder.Change<>(s, "secret/" + name, tags.get(STACK_TAG), "secret.create", "version 1");
        });
    }

    public Secret put(Principal p, String name, String value) {
        SecretNames.require("name", name);
        validateValue(value);
        Secret current = find(name);
        if (!canSee(p, current)) throw notFound(name); // before anything that tells it exists
        if (current.managed()) {
            throw new ConflictException("managed-secret", "secret '" + name + "' is managed by Stratum: change it with "
                    + "'stratum db rotate-password'");
        }
        authorizeWrite(p, current.tags().get(STACK_TAG), "write secrets");
        return recorder.record(p, tx -> {
            Secret next = putVersion(tx, name, value);
            return new Recorder.Change<>(next, "secret/" + name, next.tags().get(STACK_TAG), "secret.put", "version " + next.currentVersion());
        });
    }

    public String get(Principal p, String name, Integer version) {
        SecretNames.require("name", name);
        Secret s = find(name);
        authorizeValueRead(p, s);
        int v = version == null ? s.currentVersion() : version;
        if (v < 1) throw ValidationException.of("version", "must be 1 or more");
        SecretVersion sv = recorder.store().read(tx -> tx.secrets().version(name, v))
                .orElseThrow(() -> new NotFoundException("secret '" + name + "' has no version " + v + " (it has 1-" + s.currentVersion() + ")"));
        return new String(envelope.open(sv.sealed(), sv.aad()), StandardCharsets.UTF_8);
    }

    public List<Secret> list(Principal p, Map<String, String> filters) {
        return recorder.store().read(tx -> tx.secrets().list()).stream()
                .filter(s -> canSee(p, s))
                .filter(s -> filters.entrySet().stream().allMatch(f -> f.getValue().equals(s.tags().get(f.getKey()))))
                .toList();
    }

    public Secret describe(Principal p, String name) {
        SecretNames.require("name", name);
        Secret s = find(name);
        if (!canSee(p, s)) throw notFound(name);
        return s;
    }

    public List<VersionInfo> history(Principal p, String name) {
        Secret s = describe(p, name);
        return recorder.store().read(tx -> tx.secrets().versions(name)).stream()
                .map(v -> new VersionInfo(v.version(), v.createdAt(), v.version() == s.currentVersion())).toList();
    }

    public void delete(Principal p, String name) {
        SecretNames.require("name", name);
        Secret s = find(name);
        if (!canSee(p, s)) throw notFound(name);
        if (s.managed()) {
            throw new ConflictException("managed-secret", "secret '" + name + "' belongs to an instance and is deleted with it");
        }
        authorizeWrite(p, s.tags().get(STACK_TAG), "delete secrets");
        recorder.record(p, tx -> {
            tx.secrets().delete(name);
            return new Recorder.Change<>(null, "secret/" + name, s.tags().get(STACK_TAG), "secret.delete", null);
        });
    }

    /** Parses {@code K=V} filters; a malformed one names the field and the fix. */
    public static Map<String, String> parseFilters(List<String> filters) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq <= 0 || eq == f.length() - 1 || !TAG_KEY.matcher(f.substring(0, eq)).matches()) {
                errors.add(new FieldError("tag", "'" + f + "' is not KEY=VALUE, e.g. stack=shop"));
            } else {
                out.put(f.substring(0, eq), f.substring(eq + 1));
            }
        }
        if (!errors.isEmpty()) throw new ValidationException(errors);
        return out;
    }

    // ---- used by the core itself (instance credentials), inside the caller's transaction ----

    /** Creates a Stratum-managed secret (instance credentials) in {@code tx}. */
    public void createManaged(StoreTx tx, String name, String value, Map<String, String> tags) {
        var now = recorder.clock().instant();
        if (!tx.secrets().insert(new Secret(name, tags, true, 1, now, now))) {
            throw new ConflictException("already-exists", "secret '" + name + "' already exists");
        }
        addVersion(tx, name, 1, value, now);
    }

    /** Adds a version to a secret in {@code tx}; returns the secret at its new version. */
    public Secret putVersion(StoreTx tx, String name, String value) {
        Secret cur = tx.secrets().find(name).orElseThrow(() -> notFound(name));
        var now = recorder.clock().instant();
        int next = cur.currentVersion() + 1;
        addVersion(tx, name, next, value, now);
        Secret updated = cur.withVersion(next, now);
        tx.secrets().update(updated);
        return updated;
    }

    /**
     * Rotation, staged as AWS Secrets Manager does: the new value is stored as the version after the current one but
     * not made current until the engine accepts it. Returns the pending value (an interrupted rotation's, if any).
     */
    public String stagePending(String name, java.util.function.Supplier<String> newValue) {
        return recorder.store().inTransaction(tx -> {
            Secret s = tx.secrets().find(name).orElseThrow(() -> notFound(name));
            var pending = tx.secrets().version(name, s.currentVersion() + 1);
            if (pending.isPresent()) return new String(envelope.open(pending.get().sealed(), pending.get().aad()), StandardCharsets.UTF_8);
            String value = newValue.get();
            addVersion(tx, name, s.currentVersion() + 1, value, recorder.clock().instant());
            return value;
        });
    }

    /** The staged value, if a rotation is under way. */
    public java.util.Optional<String> pendingValue(String name) {
        return recorder.store().read(tx -> {
            Secret s = tx.secrets().find(name).orElseThrow(() -> notFound(name));
            return tx.secrets().version(name, s.currentVersion() + 1)
                    .map(v -> new String(envelope.open(v.sealed(), v.aad()), StandardCharsets.UTF_8));
        });
    }

    /** Makes the staged version current (the engine now uses it). Idempotent. */
    public void promotePending(StoreTx tx, String name) {
        Secret s = tx.secrets().find(name).orElseThrow(() -> notFound(name));
        if (tx.secrets().version(name, s.currentVersion() + 1).isPresent()) {
            tx.secrets().update(s.withVersion(s.currentVersion() + 1, recorder.clock().instant()));
        }
    }

    /** Drops a staged version that never became current: the secret is as before the rotation. */
    public void discardPending(String name) {
        recorder.store().inTransaction(tx -> {
            tx.secrets().find(name).ifPresent(s -> tx.secrets().deleteVersion(name, s.currentVersion() + 1));
            return null;
        });
    }

    /** The current value of a secret, for the control plane's own use (no principal: never exposed as is). */
    public String currentValue(String name) {
        return recorder.store().read(tx -> {
            Secret s = tx.secrets().find(name).orElseThrow(() -> notFound(name));
            SecretVersion v = tx.secrets().version(name, s.currentVersion()).orElseThrow(() -> notFound(name));
            return new String(envelope.open(v.sealed(), v.aad()), StandardCharsets.UTF_8);
        });
    }

    private void addVersion(StoreTx tx, String name, int version, String value, java.time.Instant now) {
        SecretVersion sv = new SecretVersion(name, version, null, now);
        tx.secrets().addVersion(new SecretVersion(name, version, envelope.seal(value.getBytes(StandardCharsets.UTF_8), sv.aad()), now));
    }

    private Secret find(String name) {
        return recorder.store().read(tx -> tx.secrets().find(name)).orElseThrow(() -> notFound(name));
    }

    private static boolean canSee(Principal p, Secret s) {
        String stack = s.tags().get(STACK_TAG);
        return stack == null ? p.readsEverything() : p.canRead(stack);
    }

    private static void authorizeValueRead(Principal p, Secret s) {
        if (!canSee(p, s)) throw notFound(s.name());
        String stack = s.tags().get(STACK_TAG);
        if (stack == null) p.requireAdmin("reading secret values outside any stack");
        else p.requireWrite(stack, "read secret values");
    }

    private static void authorizeWrite(Principal p, String stack, String action) {
        if (stack == null) p.requireAdmin(action + " outside any stack");
        else p.requireWrite(stack, action);
    }

    /**
     * A stack's secret is named under that stack ({@code shop/...}): no stack's operators can take names another stack's
     * secrets (and Stratum's, {@code STACK/STAGE/INSTANCE/master}) will need.
     */
    private static void requireUnderOwnStack(String name, String stack) {
        if (stack != null && !name.startsWith(stack + "/")) {
            throw ValidationException.of("name", "a secret of stack '" + stack + "' is named under it: '" + stack + "/...', e.g. "
                    + stack + "/prod/api-key");
        }
    }

    private static void validateValue(String value) {
        if (value == null || value.isBlank()) throw ValidationException.of("value", "is required: a JSON value");
        int bytes = value.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_VALUE_BYTES) {
            throw ValidationException.of("value", "is " + bytes + " bytes: at most " + MAX_VALUE_BYTES + " bytes per secret");
        }
    }

    private static void validateTags(Map<String, String> tags) {
        List<FieldError> errors = new ArrayList<>();
        if (tags.size() > 50) errors.add(new FieldError("tags", "at most 50 tags"));
        tags.forEach((k, v) -> {
            if (!TAG_KEY.matcher(k).matches()) errors.add(new FieldError("tags." + k, "tag keys are 1-64 of A-Z a-z 0-9 _ . : / -"));
            if (v == null || v.length() > 256) errors.add(new FieldError("tags." + k, "tag values are 0-256 characters"));
        });
        String stack = tags.get(STACK_TAG);
        if (stack != null && ResourceNames.problem(stack) != null) errors.add(new FieldError("tags.stack", ResourceNames.problem(stack)));
        if (!errors.isEmpty()) throw new ValidationException(errors);
    }

    private static NotFoundException notFound(String name) {
        return new NotFoundException("secret '" + name + "' does not exist (see 'stratum secret list')");
    }
}
