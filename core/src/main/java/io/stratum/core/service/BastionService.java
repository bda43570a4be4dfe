package io.stratum.core.service;

import io.stratum.core.auth.Principal;
import io.stratum.core.auth.Role;
import io.stratum.core.auth.TokenSecrets;
import io.stratum.core.bastion.BastionKey;
import io.stratum.core.bastion.SshPublicKeys;
import io.stratum.core.error.ConflictException;
import io.stratum.core.error.NotFoundException;
import io.stratum.core.error.ValidationException;
import io.stratum.core.network.IngressPolicy;
import io.stratum.core.validation.ResourceNames;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Bastion keys (public halves only, per stack) and the bastion's decisions: which key may log in as which stack, and
 * which targets a stack's tunnels may reach (its instances' endpoints, nothing else). Tunnels are events whose actor
 * is the key.
 */
public final class BastionService {
    private static final Pattern EXPIRES = Pattern.compile("^(\\d{1,5})([smhd])$");
    static final Duration MAX_LIFETIME = Duration.ofDays(365);
    private final Recorder recorder;
    private final String endpointHost;

    public BastionService(Recorder recorder, String endpointHost) {
        this.recorder = recorder;
        this.endpointHost = endpointHost;
    }

    public BastionKey addKey(Principal p, String stack, String publicKey, String expires) {
        ResourceNames.require("stack", stack);
        p.requireWrite(stack, "add bastion keys");
        SshPublicKeys.Parsed parsed = SshPublicKeys.parse("publicKey", publicKey);
        Instant now = recorder.clock().instant();
        Instant expiresAt = expires == null ? null : now.plus(lifetime(expires));
        BastionKey key = new BastionKey(TokenSecrets.newId("bk"), stack, parsed.type(), parsed.fingerprint(), parsed.line(),
                parsed.comment(), now, expiresAt, null);
        return recorder.record(p, tx -> {
            if (tx.stacks().find(stack).isEmpty()) {
                throw new NotFoundException("stack '" + stack + "' does not exist (see 'stratum stack list')");
            }
            if (!tx.bastionKeys().insert(key)) {
                throw new ConflictException("already-exists", "stack '" + stack + "' already has the key " + key.fingerprint());
            }
            return new Recorder.Change<>(key, "bastion-key/" + key.id(), stack, "bastion.key-added",
                    key.fingerprint() + (expiresAt == null ? "" : ", expires " + expiresAt));
        });
    }

    /** {@code 30d}, {@code 12h}, {@code 90m}, {@code 45s}; at most a year. */
    static Duration lifetime(String text) {
        var m = EXPIRES.matcher(text.trim());
        if (!m.matches()) throw ValidationException.of("expires", "'" + text + "' is not a lifetime such as 90m, 12h or 30d");
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.isZero() || d.compareTo(MAX_LIFETIME) > 0) throw ValidationException.of("expires", "'" + text + "' must be 1s to 365d");
        return d;
    }

    public List<BastionKey> list(Principal p, String stack) {
        if (stack != null && !p.canRead(stack)) throw StackService.notFound(stack);
        return recorder.store().read(tx -> tx.bastionKeys().list(stack)).stream().filter(k -> p.canRead(k.stack())).toList();
    }

    public BastionKey revoke(Principal p, String id) {
        ResourceNames.require("id", id);
        BastionKey key = recorder.store().read(tx -> tx.bastionKeys().find(id)).filter(k -> p.canRead(k.stack()))
                .orElseThrow(() -> new NotFoundException("bastion key '" + id + "' does not exist (see 'stratum bastion key list')"));
        p.requireWrite(key.stack(), "revoke bastion keys");
        if (key.revokedAt() != null) return key;
        BastionKey revoked = key.revoked(recorder.clock().instant());
        return recorder.record(p, tx -> {
            tx.bastionKeys().update(revoked);
            return new Recorder.Change<>(revoked, "bastion-key/" + id, key.stack(), "bastion.key-revoked", key.fingerprint());
        });
    }

    /** The usable key of {@code stack} with this fingerprint, if any (the SSH user name is the stack). */
    public Optional<BastionKey> authenticate(String stack, String fingerprint) {
        if (ResourceNames.problem(stack) != null) return Optional.empty();
        Instant now = recorder.clock().instant();
        return recorder.store().read(tx -> tx.bastionKeys().findByFingerprint(stack, fingerprint)).stream()
                .filter(k -> k.usableAt(now)).findFirst();
    }

    /** True while {@code key} may still be used: it exists, is not revoked and has not expired. */
    public boolean stillUsable(BastionKey key) {
        Instant now = recorder.clock().instant();
        return recorder.store().read(tx -> tx.bastionKeys().find(key.id())).filter(k -> k.usableAt(now)).isPresent();
    }

    /** True when {@code host:port} is the endpoint of one of {@code stack}'s instances. */
    public boolean allowedTarget(String stack, String host, int port) {
        if (!endpointHost.equals(host) && !(IngressPolicy.loopback(endpointHost) && Set.of("localhost", "127.0.0.1", "::1").contains(host))) {
            return false;
        }
        return recorder.store().read(tx -> tx.instances().list()).stream()
                .anyMatch(i -> stack.equals(i.spec().stack()) && i.spec().port() == port);
    }

    /** Records a tunnel event ({@code bastion.tunnel-opened}, {@code -closed}, {@code -refused}) with the key as actor. */
    public void tunnelEvent(BastionKey key, String action, String source, String target) {
        Principal actor = new Principal(key.id(), "bastion key " + key.fingerprint(), Role.OPERATOR, Set.of(key.stack()));
        recorder.record(actor, tx -> new Recorder.Change<>(null, "bastion/" + key.stack(), key.stack(), action,
                "from " + source + " to " + target));
    }
}
