package io.stratum.store;

import io.stratum.core.port.SecretRepository;
import io.stratum.core.secret.SealedValue;
import io.stratum.core.secret.Secret;
import io.stratum.core.secret.SecretVersion;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

final class JdbiSecretRepository implements SecretRepository {
    private static final RowMapper<Secret> SECRET = (rs, ctx) -> new Secret(rs.getString("name"), TextMaps.decode(rs.getString("tags")),
            rs.getInt("managed") == 1, rs.getInt("current_version"), Instant.ofEpochMilli(rs.getLong("created_at")),
            Instant.ofEpochMilli(rs.getLong("updated_at")));
    private static final RowMapper<SecretVersion> VERSION = (rs, ctx) -> new SecretVersion(rs.getString("name"), rs.getInt("version"),
            new SealedValue(rs.getString("key_id"), Base64.getDecoder().decode(rs.getString("wrapped_key")),
                    Base64.getDecoder().decode(rs.getString("ciphertext"))), Instant.ofEpochMilli(rs.getLong("created_at")));
    private final Handle h;

    JdbiSecretRepository(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(Secret s) {
        return h.createUpdate("""
                        INSERT INTO secrets (name, tags, managed, current_version, created_at, updated_at)
                        VALUES (:name, :tags, :managed, :version, :created, :updated) ON CONFLICT DO NOTHING""")
                .bind("name", s.name()).bind("tags", TextMaps.encode(s.tags())).bind("managed", s.managed() ? 1 : 0)
                .bind("version", s.currentVersion()).bind("created", s.createdAt().toEpochMilli())
                .bind("updated", s.updatedAt().toEpochMilli()).execute() == 1;
    }

    @Override
    public Optional<Secret> find(String name) {
        return h.createQuery("SELECT * FROM secrets WHERE name = :name").bind("name", name).map(SECRET).findOne();
    }

    @Override
    public List<Secret> list() {
        return h.createQuery("SELECT * FROM secrets ORDER BY name").map(SECRET).list();
    }

    @Override
    public void update(Secret s) {
        h.createUpdate("UPDATE secrets SET tags = :tags, current_version = :version, updated_at = :updated WHERE name = :name")
                .bind("name", s.name()).bind("tags", TextMaps.encode(s.tags())).bind("version", s.currentVersion())
                .bind("updated", s.updatedAt().toEpochMilli()).execute();
    }

    @Override
    public boolean delete(String name) {
        h.createUpdate("DELETE FROM secret_versions WHERE name = :name").bind("name", name).execute();
        return h.createUpdate("DELETE FROM secrets WHERE name = :name").bind("name", name).execute() == 1;
    }

    @Override
    public void addVersion(SecretVersion v) {
        h.createUpdate("""
                        INSERT INTO secret_versions (name, version, key_id, wrapped_key, ciphertext, created_at)
                        VALUES (:name, :version, :key, :wrapped, :ct, :created)""")
                .bind("name", v.name()).bind("version", v.version()).bind("key", v.sealed().keyId())
                .bind("wrapped", Base64.getEncoder().encodeToString(v.sealed().wrappedKey()))
                .bind("ct", Base64.getEncoder().encodeToString(v.sealed().ciphertext()))
                .bind("created", v.createdAt().toEpochMilli()).execute();
    }

    @Override
    public Optional<SecretVersion> version(String name, int version) {
        return h.createQuery("SELECT * FROM secret_versions WHERE name = :name AND version = :version")
                .bind("name", name).bind("version", version).map(VERSION).findOne();
    }

    @Override
    public List<SecretVersion> versions(String name) {
        return h.createQuery("SELECT * FROM secret_versions WHERE name = :name ORDER BY version").bind("name", name).map(VERSION).list();
    }

    @Override
    public List<SecretVersion> allVersions() {
        return h.createQuery("SELECT * FROM secret_versions ORDER BY name, version").map(VERSION).list();
    }

    @Override
    public boolean deleteVersion(String name, int version) {
        return h.createUpdate("DELETE FROM secret_versions WHERE name = :name AND version = :version")
                .bind("name", name).bind("version", version).execute() == 1;
    }

    @Override
    public void replaceSealed(String name, int version, SealedValue sealed) {
        h.createUpdate("UPDATE secret_versions SET key_id = :key, wrapped_key = :wrapped, ciphertext = :ct WHERE name = :name AND version = :version")
                .bind("name", name).bind("version", version).bind("key", sealed.keyId())
                .bind("wrapped", Base64.getEncoder().encodeToString(sealed.wrappedKey()))
                .bind("ct", Base64.getEncoder().encodeToString(sealed.ciphertext())).execute();
    }
}
