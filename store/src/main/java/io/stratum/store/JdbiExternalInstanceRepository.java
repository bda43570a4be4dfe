package io.stratum.store;

import io.stratum.core.external.ExternalInstance;
import io.stratum.core.external.ExternalStatus;
import io.stratum.core.external.SshTarget;
import io.stratum.core.port.ExternalInstanceRepository;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

final class JdbiExternalInstanceRepository implements ExternalInstanceRepository {
    private static final String COLUMNS = "name, engine, host, port, username, database_name, stack, stage, tls, ssh_host, ssh_port, "
            + "ssh_user, ssh_host_key, tunnel_port, contract_via_tunnel, status, last_error, checked_at, created_at, ca_pem";
    private static final String VALUES = ":name, :engine, :host, :port, :user, :db, :stack, :stage, :tls, :sshHost, :sshPort, "
            + ":sshUser, :sshHostKey, :tunnelPort, :viaTunnel, :status, :error, :checked, :created, :ca";
    private final Handle h;

    JdbiExternalInstanceRepository(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(ExternalInstance e) {
        return bind(h.createUpdate("INSERT INTO external_instances (" + COLUMNS + ") VALUES (" + VALUES + ") ON CONFLICT DO NOTHING"), e)
                .execute() == 1;
    }

    @Override
    public Optional<ExternalInstance> find(String name) {
        return h.createQuery("SELECT * FROM external_instances WHERE name = :name").bind("name", name).map((rs, c) -> row(rs)).findOne();
    }

    @Override
    public List<ExternalInstance> list() {
        return h.createQuery("SELECT * FROM external_instances ORDER BY name").map((rs, c) -> row(rs)).list();
    }

    @Override
    public void update(ExternalInstance e) {
        bind(h.createUpdate("UPDATE external_instances SET tunnel_port = :tunnelPort, ssh_host_key = :sshHostKey, status = :status, "
                + "last_error = :error, checked_at = :checked WHERE name = :name"), e).execute();
    }

    @Override
    public boolean delete(String name) {
        return h.createUpdate("DELETE FROM external_instances WHERE name = :name").bind("name", name).execute() == 1;
    }

    private static Update bind(Update u, ExternalInstance e) {
        SshTarget s = e.ssh();
        return u.bind("name", e.name()).bind("engine", e.engine()).bind("host", e.host()).bind("port", e.port()).bind("user", e.user())
                .bind("db", e.database()).bind("stack", e.stack()).bind("stage", e.stage()).bind("tls", e.tls())
                .bind("sshHost", s == null ? null : s.host()).bind("sshPort", s == null ? null : s.port())
                .bind("sshUser", s == null ? null : s.user()).bind("sshHostKey", s == null ? null : s.hostKey())
                .bind("tunnelPort", e.tunnelPort()).bind("viaTunnel", e.contractViaTunnel() ? 1 : 0).bind("status", e.status().wireName())
                .bind("error", e.lastError()).bind("checked", e.checkedAt() == null ? null : e.checkedAt().toEpochMilli())
                .bind("created", e.createdAt().toEpochMilli()).bind("ca", e.caPem());
    }

    private static ExternalInstance row(ResultSet rs) throws SQLException {
        String sshHost = rs.getString("ssh_host");
        SshTarget ssh = sshHost == null ? null
                : new SshTarget(sshHost, rs.getInt("ssh_port"), rs.getString("ssh_user"), rs.getString("ssh_host_key"));
        long checked = rs.getLong("checked_at");
        Instant checkedAt = rs.wasNull() ? null : Instant.ofEpochMilli(checked);
        return new ExternalInstance(rs.getString("name"), rs.getString("engine"), rs.getString("host"), rs.getInt("port"),
                rs.getString("username"), rs.getString("database_name"), rs.getString("stack"), rs.getString("stage"), rs.getString("tls"),
                ssh, rs.getInt("tunnel_port"), rs.getInt("contract_via_tunnel") == 1, ExternalStatus.fromWire(rs.getString("status")),
                rs.getString("last_error"), checkedAt, Instant.ofEpochMilli(rs.getLong("created_at")), rs.getString("ca_pem"));
    }
}
