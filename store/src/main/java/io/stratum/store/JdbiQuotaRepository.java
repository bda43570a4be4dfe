package io.stratum.store;

import io.stratum.core.model.StackQuota;
import io.stratum.core.port.QuotaRepository;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

final class JdbiQuotaRepository implements QuotaRepository {
    private final Handle h;

    JdbiQuotaRepository(Handle h) {
        this.h = h;
    }

    @Override
    public Optional<StackQuota> find(String stack) {
        return h.createQuery("SELECT * FROM stack_quotas WHERE stack = :stack").bind("stack", stack)
                .map((rs, ctx) -> new StackQuota(rs.getString("stack"), rs.getInt("max_instances"), rs.getInt("max_storage_gib"),
                        rs.getInt("max_operations"))).findOne();
    }

    @Override
    public void save(StackQuota q) {
        h.createUpdate("DELETE FROM stack_quotas WHERE stack = :stack").bind("stack", q.stack()).execute();
        h.createUpdate("INSERT INTO stack_quotas (stack, max_instances, max_storage_gib, max_operations) VALUES (:stack, :i, :s, :o)")
                .bind("stack", q.stack()).bind("i", q.maxInstances()).bind("s", q.maxStorageGiB()).bind("o", q.maxOperations()).execute();
    }
}
