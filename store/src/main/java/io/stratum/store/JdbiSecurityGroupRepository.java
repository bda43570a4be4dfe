package io.stratum.store;

import io.stratum.core.network.Cidr;
import io.stratum.core.network.SecurityGroup;
import io.stratum.core.port.SecurityGroupRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbiSecurityGroupRepository implements SecurityGroupRepository {
    private final Handle h;

    JdbiSecurityGroupRepository(Handle h) {
        this.h = h;
    }

    @Override
    public boolean insert(SecurityGroup g) {
        return h.createUpdate("INSERT INTO security_groups (name, description, created_at) VALUES (:name, :description, :at) "
                        + "ON CONFLICT DO NOTHING")
                .bind("name", g.name()).bind("description", g.description()).bind("at", g.createdAt().toEpochMilli()).execute() == 1;
    }

    @Override
    public Optional<SecurityGroup> find(String name) {
        return h.createQuery("SELECT * FROM security_groups WHERE name = :name").bind("name", name)
                .map((rs, ctx) -> new SecurityGroup(rs.getString("name"), rs.getString("description"), rules(rs.getString("name")),
                        Instant.ofEpochMilli(rs.getLong("created_at")))).findOne();
    }

    @Override
    public List<SecurityGroup> list() {
        return h.createQuery("SELECT name FROM security_groups ORDER BY name").mapTo(String.class).list().stream()
                .map(n -> find(n).orElseThrow()).toList();
    }

    private List<SecurityGroup.Rule> rules(String group) {
        return h.createQuery("SELECT cidr, port FROM security_group_rules WHERE group_name = :g ORDER BY cidr, port").bind("g", group)
                .map((rs, ctx) -> new SecurityGroup.Rule(Cidr.parse("cidr", rs.getString("cidr")),
                        rs.getInt("port") == 0 ? null : rs.getInt("port"))).list();
    }

    @Override
    public boolean delete(String name) {
        h.createUpdate("DELETE FROM security_group_rules WHERE group_name = :name").bind("name", name).execute();
        return h.createUpdate("DELETE FROM security_groups WHERE name = :name").bind("name", name).execute() == 1;
    }

    @Override
    public boolean addRule(String group, SecurityGroup.Rule rule) {
        return h.createUpdate("INSERT INTO security_group_rules (group_name, cidr, port) VALUES (:g, :cidr, :port) ON CONFLICT DO NOTHING")
                .bind("g", group).bind("cidr", rule.cidr().toString()).bind("port", rule.port() == null ? 0 : rule.port()).execute() == 1;
    }

    @Override
    public boolean removeRule(String group, SecurityGroup.Rule rule) {
        return h.createUpdate("DELETE FROM security_group_rules WHERE group_name = :g AND cidr = :cidr AND port = :port")
                .bind("g", group).bind("cidr", rule.cidr().toString()).bind("port", rule.port() == null ? 0 : rule.port()).execute() == 1;
    }
}
