package io.stratum.store;

import io.stratum.core.bastion.BastionKey;
import io.stratum.core.port.BastionKeyRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbiBastionKeyRepository implements BastionKeyRepository {
    private final Handle h;

    JdbiBastionKeyRepository(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(BastionKey k) {
        return h.createUpdate("INSERT INTO bastion_keys (id, stack, key_type, fingerprint, public_key, comment, created_at, expires_at, "
                        + "revoked_at) VALUES (:id, :stack, :type, :fp, :key, :comment, :created, :expires, :revoked) ON CONFLICT DO NOTHING")
                .bind("id", k.id()).bind("stack", k.stack()).bind("type", k.type()).bind("fp", k.fingerprint())
                .bind("key", k.publicKey()).bind("comment", k.comment()).bind("created", k.createdAt().toEpochMilli())
                .bind("expires", millis(k.expiresAt())).bind("revoked", millis(k.revokedAt())).execute() == 1;
    }

    @Override
    public Optional<BastionKey> find(String id) {
        return h.createQuery("SELECT * FROM bastion_keys WHERE id = :id").bind("id", id).map((rs, ctx) -> row(rs)).findOne();
    }

    @Override
    public List<BastionKey> findByFingerprint(String stack, String fingerprint) {
        return h.createQuery("SELECT * FROM bastion_keys WHERE stack = :stack AND fingerprint = :fp").bind("stack", stack)
                .bind("fp", fingerprint).map((rs, ctx) -> row(rs)).list();
    }

    @Override
    public List<BastionKey> list(String stack) {
        String where = stack == null ? "" : " WHERE stack = :stack";
        var q = h.createQuery("SELECT * FROM bastion_keys" + where + " ORDER BY stack, created_at, id");
        if (stack != null) q.bind("stack", stack);
        return q.map((rs, ctx) -> row(rs)).list();
    }

    @Override
    public void update(BastionKey k) {
        h.createUpdate("UPDATE bastion_keys SET expires_at = :expires, revoked_at = :revoked WHERE id = :id").bind("id", k.id())
                .bind("expires", millis(k.expiresAt())).bind("revoked", millis(k.revokedAt())).execute();
    }

    private static Long millis(Instant t) {
        return t == null ? null : t.toEpochMilli();
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Instant.ofEpochMilli(v);
    }

    private static BastionKey row(ResultSet rs) throws SQLException {
        return new BastionKey(rs.getString("id"), rs.getString("stack"), rs.getString("key_type"), rs.getString("fingerprint"),
                rs.getString("public_key"), rs.getString("comment"), Instant.ofEpochMilli(rs.getLong("created_at")),
                instant(rs, "expires_at"), instant(rs, "revoked_at"));
    }
}
